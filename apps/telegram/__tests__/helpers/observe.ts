import type { ComfySimulator } from '@comfyrelay/comfyui-sim';
import type {
  CallbackQueryHandle,
  ChatInput,
  FakeTelegram,
  MessageVersion,
  SentMessage,
  UserInput,
} from '@comfyrelay/testkit-telegram';

const WAIT_MS = 20_000;

export interface Button {
  text: string;
  callback_data: string;
}

export function buttonsOf(message: Pick<MessageVersion, 'reply_markup'>): Button[] {
  const markup = message.reply_markup as { inline_keyboard?: Button[][] } | undefined;
  return markup?.inline_keyboard?.flat() ?? [];
}

export function wordsOf(message: Pick<MessageVersion, 'text' | 'caption'>): string {
  return message.caption ?? message.text ?? '';
}

/** A result: the reroll button is there. */
export const showsResult = (message: SentMessage): boolean =>
  buttonsOf(message).some((button) => button.text === '🔄');

export const showsCancelled = (message: SentMessage): boolean =>
  /was cancelled/.test(wordsOf(message)) && buttonsOf(message).length === 0;

/** Resolves with the first bot message in the chat that satisfies `predicate`, now or later. */
export function waitForBotMessage(
  telegram: FakeTelegram,
  chatId: number,
  predicate: (message: SentMessage) => boolean,
  what: string,
): Promise<SentMessage> {
  const find = () => telegram.chat(chatId).messages.find(predicate);
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = find();
      if (!found) return;
      stop();
      resolve(found);
    };
    const timer = setTimeout(() => {
      stop();
      const shown = telegram
        .chat(chatId)
        .messages.map(
          (message) =>
            `#${message.message_id}: ${message.versions.map((version) => `${version.method} ${version.media?.type ?? ''} ${wordsOf(version)}`).join('\n  ')}`,
        );
      reject(new Error(`timed out waiting for ${what}; the chat shows:\n${shown.join('\n')}`));
    }, WAIT_MS);
    const stop = () => {
      clearTimeout(timer);
      for (const kind of ['message', 'edit', 'delete'] as const) telegram.off(kind, check);
    };
    for (const kind of ['message', 'edit', 'delete'] as const) telegram.on(kind, check);
    check();
  });
}

/** Resolves with the message once it satisfies `predicate`. */
export function waitForMessage(
  telegram: FakeTelegram,
  chatId: number,
  messageId: number,
  predicate: (message: SentMessage) => boolean,
  what: string,
): Promise<SentMessage> {
  return waitForBotMessage(
    telegram,
    chatId,
    (message) => message.message_id === messageId && predicate(message),
    what,
  );
}

export function pressButton(
  telegram: FakeTelegram,
  chat: ChatInput,
  from: UserInput,
  message: SentMessage,
  label: RegExp,
): CallbackQueryHandle {
  const current = telegram.chat(chat.id).messages.find((m) => m.message_id === message.message_id);
  const button = buttonsOf(current ?? message).find((candidate) => label.test(candidate.text));
  if (!button)
    throw new Error(
      `no button ${label} under message ${message.message_id}: ${buttonsOf(current ?? message)
        .map((candidate) => candidate.text)
        .join(', ')}`,
    );
  return telegram.pressButton({
    chat,
    from,
    message_id: message.message_id,
    data: button.callback_data,
  });
}

/**
 * Holds the simulator's next job after its first sampler step (its preview sent) until
 * `resume()`: the job is running, and stays so while the test looks.
 */
export function pauseAfterFirstStep(sim: ComfySimulator): {
  paused: Promise<void>;
  resume(): void;
} {
  return {
    paused: sim.nextEvent('step', undefined, WAIT_MS).then(() => sim.setStepDelay(3_600_000)),
    resume: () => sim.setStepDelay(5),
  };
}
