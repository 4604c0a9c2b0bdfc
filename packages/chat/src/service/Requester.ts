/** Who pressed or typed, as the platform knows them. */
export interface Requester {
  /** 'discord', 'telegram' … (the adapter's `platform`). */
  platform: string;
  userId: string;
  /** How to name them in a message ("@ann", "Ann"). */
  displayName: string;
  /** The chat, channel or group they wrote in. */
  chatId: string;
  /** Their roles there (Discord roles by id; Telegram: 'administrator' for chat admins). */
  roles?: readonly string[];
  /** A BCP 47 tag, when the platform says. */
  locale?: string;
}
