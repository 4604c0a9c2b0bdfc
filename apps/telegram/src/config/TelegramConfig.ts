/** Webhook mode: Telegram posts updates to `url`; the bot listens on `host:port` behind it. */
export interface WebhookConfig {
  url: string;
  /** Telegram sends it with every update (`X-Telegram-Bot-Api-Secret-Token`); others are refused. */
  secret: string;
  host: string;
  port: number;
}

/**
 * Everything the Telegram bot needs to run: the `telegram` section of the configuration once
 * validated ({@link telegramSection}), in the keys the operator writes.
 */
export interface TelegramConfig {
  token: string;
  /** Another Bot API server (a local one, a test fake); default Telegram's. */
  apiRoot?: string;
  /** Chats it answers in; empty: every chat. */
  allowedChats: readonly string[];
  /** User ids with no limits, who may cancel anyone's jobs. */
  adminUsers: readonly string[];
  /** Signs button data; the same one across restarts keeps old buttons working. */
  buttonSecret: string;
  /** Largest photo, in bytes; larger pictures are recompressed (the original follows as a file). */
  maxPhotoSize: number;
  /** Largest upload of any other kind, in bytes. */
  maxUploadSize: number;
  /** Unset: long polling. */
  webhook?: WebhookConfig;
}
