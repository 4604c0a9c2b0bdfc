import type { BotUser } from '../types.js';
import type { FloodControl } from '../flood/flood-control.js';
import type { LongPoll } from '../polling/long-poll.js';
import type { FakeTelegramEvents } from '../records.js';
import type { BotMessages } from '../state/bot-messages.js';
import type { CallbackQueries } from '../state/callback-queries.js';
import type { ChatStore } from '../state/chat-store.js';
import type { CommandStore } from '../state/command-store.js';
import type { FileStore } from '../state/file-store.js';
import type { UpdateQueue } from '../state/update-queue.js';
import type { TypedEmitter } from '../util/typed-emitter.js';
import type { WebhookDeliverer } from '../webhook/webhook-deliverer.js';
import type { Params } from './params.js';

export interface SizeLimits {
  /** Largest photo upload, in bytes. */
  photoBytes: number;
  /** Largest upload of any other kind, in bytes. */
  uploadBytes: number;
  /** Largest file getFile hands out for download, in bytes. */
  downloadBytes: number;
  textLength: number;
  captionLength: number;
}

/** Everything a method handler works with: one fake Telegram's state. */
export interface FakeState {
  bot: BotUser;
  limits: SizeLimits;
  chats: ChatStore;
  files: FileStore;
  messages: BotMessages;
  updates: UpdateQueue;
  longPoll: LongPoll;
  webhook: WebhookDeliverer;
  commands: CommandStore;
  callbacks: CallbackQueries;
  flood: FloodControl;
  events: TypedEmitter<FakeTelegramEvents>;
}

export interface MethodCall {
  params: Params;
  /** Aborted when the client goes away before the answer. */
  signal: AbortSignal;
  state: FakeState;
}

/** A result that Telegram sends with a description next to it ("Webhook was set"). */
export class Described {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

export type MethodHandler = (call: MethodCall) => unknown;

export interface MethodDefinition {
  name: string;
  handler: MethodHandler;
  /** Sends and edits: they count against flood limits. */
  counted?: boolean;
}
