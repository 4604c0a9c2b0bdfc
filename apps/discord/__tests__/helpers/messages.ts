import type { FakeMessage, InteractionHandle } from '@comfyrelay/testkit-discord';

const WAIT_MS = 30_000;

interface Button {
  label: string;
  customId: string;
}

/** The buttons under a message, in order. */
export function buttonsOf(message: FakeMessage): Button[] {
  return message.components.flatMap((row) =>
    ((row['components'] as Record<string, unknown>[] | undefined) ?? []).map((button) => ({
      label: String(button['label']),
      customId: String(button['custom_id']),
    })),
  );
}

export function labelsOf(message: FakeMessage): string[] {
  return buttonsOf(message).map((button) => button.label);
}

export function button(message: FakeMessage, label: string | RegExp): string {
  const found = buttonsOf(message).find((candidate) =>
    typeof label === 'string' ? candidate.label === label : label.test(candidate.label),
  );
  if (!found) throw new Error(`no button ${String(label)} under: ${labelsOf(message).join(', ')}`);
  return found.customId;
}

/** While a job runs its message offers Cancel; once it ends, it does not. */
export function isFinished(message: FakeMessage): boolean {
  return !message.loading && message.history.length > 1 && !labelsOf(message).includes('Cancel');
}

export function isResult(message: FakeMessage): boolean {
  return isFinished(message) && message.attachments.length > 0;
}

/** The command's message once it shows the job's end. */
export function finalOf(handle: InteractionHandle): Promise<FakeMessage> {
  return handle.waitForOriginal(isFinished, WAIT_MS);
}

export function originalMatching(
  handle: InteractionHandle,
  predicate: (message: FakeMessage) => boolean,
): Promise<FakeMessage> {
  return handle.waitForOriginal(predicate, WAIT_MS);
}

export function isPng(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 8)).equals(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  );
}

/** The first message (existing or to come) that satisfies `predicate`, checked after every change. */
export function messageMatching(
  discord: {
    messages(): FakeMessage[];
    on(event: 'message-create' | 'message-update', listener: () => void): unknown;
    off(event: 'message-create' | 'message-update', listener: () => void): unknown;
  },
  predicate: (message: FakeMessage) => boolean,
  what = 'a message',
): Promise<FakeMessage> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = discord.messages().find(predicate);
      if (!found) return;
      done();
      resolve(found);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out waiting for ${what}`));
    }, WAIT_MS);
    const done = () => {
      clearTimeout(timer);
      discord.off('message-create', check);
      discord.off('message-update', check);
    };
    discord.on('message-create', check);
    discord.on('message-update', check);
    check();
  });
}

/** What the bot told only the user who ran `handle` (a reply, or a follow-up after a deferral). */
export function privateAnswerOf(
  discord: Parameters<typeof messageMatching>[0],
  handle: InteractionHandle,
): Promise<FakeMessage> {
  return messageMatching(
    discord,
    (m) => m.interaction?.id === handle.id && m.ephemeral && !m.loading && !m.deleted,
    `a private answer to interaction ${handle.id}`,
  );
}
