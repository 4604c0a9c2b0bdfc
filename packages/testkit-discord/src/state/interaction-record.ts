import type { ApiObject } from './api-objects.js';
import type { FakeUser } from './directory-types.js';

export const InteractionType = {
  Ping: 1,
  ApplicationCommand: 2,
  MessageComponent: 3,
  ApplicationCommandAutocomplete: 4,
  ModalSubmit: 5,
} as const;

export const CallbackType = {
  Pong: 1,
  ChannelMessageWithSource: 4,
  DeferredChannelMessageWithSource: 5,
  DeferredUpdateMessage: 6,
  UpdateMessage: 7,
  ApplicationCommandAutocompleteResult: 8,
  Modal: 9,
} as const;

export interface UploadedFileSummary {
  field: string;
  filename: string;
  size: number;
  contentType: string | undefined;
}

/** One POST to the callback route, accepted or not. */
export interface InteractionCallbackRecord {
  interactionId: string;
  at: number;
  /** The callback type (4 reply, 5 defer, 6 defer update, 7 update, 8 choices, 9 modal). */
  type: number;
  data: ApiObject | undefined;
  files: UploadedFileSummary[];
  /** What the fake answered. */
  status: number;
  accepted: boolean;
  error: { code: number; message: string } | undefined;
  withResponse: boolean;
}

export interface NewInteraction {
  id: string;
  token: string;
  type: number;
  guildId: string | null;
  channelId: string;
  user: FakeUser;
  commandName: string | undefined;
  commandType: number | undefined;
  sourceMessageId: string | undefined;
  payload: ApiObject;
  ackWindowMs: number;
  tokenLifetimeMs: number;
}

/** An interaction the fake dispatched, and what the bot did with it. */
export class InteractionRecord {
  readonly id: string;
  readonly token: string;
  readonly type: number;
  readonly guildId: string | null;
  readonly channelId: string;
  readonly user: FakeUser;
  readonly commandName: string | undefined;
  readonly commandType: number | undefined;
  /** The message a component sat on, or a modal was opened from. */
  readonly sourceMessageId: string | undefined;
  /** The INTERACTION_CREATE `d` as dispatched. */
  readonly payload: ApiObject;
  readonly createdAt: number;
  readonly callbacks: InteractionCallbackRecord[] = [];
  ack: InteractionCallbackRecord | undefined;
  originalMessageId: string | undefined;
  readonly followUpIds: string[] = [];
  /** Deferred with a loading message nobody has filled yet: the first follow-up fills it. */
  deferredLoading = false;
  private ackDeadline: number;
  private tokenDeadline: number;

  constructor(input: NewInteraction, now: number) {
    this.id = input.id;
    this.token = input.token;
    this.type = input.type;
    this.guildId = input.guildId;
    this.channelId = input.channelId;
    this.user = input.user;
    this.commandName = input.commandName;
    this.commandType = input.commandType;
    this.sourceMessageId = input.sourceMessageId;
    this.payload = input.payload;
    this.createdAt = now;
    this.ackDeadline = now + input.ackWindowMs;
    this.tokenDeadline = now + input.tokenLifetimeMs;
  }

  ackWindowOver(now: number): boolean {
    return now > this.ackDeadline;
  }

  tokenExpired(now: number): boolean {
    return now > this.tokenDeadline;
  }

  /** As if the bot had waited too long: the next callback gets 404 Unknown interaction. */
  expireAckWindow(): void {
    this.ackDeadline = -Infinity;
  }

  /** As if 15 minutes had passed: webhook routes answer 401 Invalid Webhook Token. */
  expireToken(): void {
    this.tokenDeadline = -Infinity;
    this.expireAckWindow();
  }
}
