import type { FakeDiscord, FakeMessage, InteractionHandle } from '@comfyrelay/testkit-discord';
import type { FakeTelegram, SentMessage } from '@comfyrelay/testkit-telegram';

/** Longest wait for a result; a generation on the simulator takes well under a second. */
const WAIT_MS = 60_000;

/** The environment that points the Discord bot at the fake (and registers commands in its guild). */
export function discordEnv(discord: FakeDiscord): Record<string, string> {
  return {
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_GUILD_IDS: discord.guild().id,
  };
}

export function telegramEnv(telegram: FakeTelegram): Record<string, string> {
  return { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot };
}

function labelsOf(message: FakeMessage): string[] {
  return message.components.flatMap((row) =>
    ((row['components'] as Record<string, unknown>[] | undefined) ?? []).map((button) =>
      String(button['label']),
    ),
  );
}

/** The slash command's message once it shows the result: attachments, no Cancel any more. */
export function discordResult(handle: InteractionHandle): Promise<FakeMessage> {
  return handle.waitForOriginal(
    (message) =>
      !message.loading && message.attachments.length > 0 && !labelsOf(message).includes('Cancel'),
    WAIT_MS,
  );
}

function buttonsOf(message: SentMessage): string[] {
  const markup = message.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined;
  return markup?.inline_keyboard?.flat().map((button) => button.text) ?? [];
}

/** The bot's message once it shows a result (its 🔄 reroll button is there). */
export function telegramResult(
  telegram: FakeTelegram,
  chatId: number,
  messageId: number,
): Promise<SentMessage> {
  const find = () =>
    telegram
      .chat(chatId)
      .messages.find(
        (message) => message.message_id === messageId && buttonsOf(message).includes('🔄'),
      );
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = find();
      if (!found) return;
      stop();
      resolve(found);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for the result in Telegram message ${messageId}`));
    }, WAIT_MS);
    const stop = () => {
      clearTimeout(timer);
      telegram.off('message', check);
      telegram.off('edit', check);
    };
    telegram.on('message', check);
    telegram.on('edit', check);
    check();
  });
}
