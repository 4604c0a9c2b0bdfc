import type { ApiObject } from './api-objects.js';
import type { FakeAttachment } from './attachment-store.js';
import type { FakeUser } from './directory-types.js';

export const MessageFlag = {
  SuppressEmbeds: 1 << 2,
  Ephemeral: 1 << 6,
  Loading: 1 << 7,
  SuppressNotifications: 1 << 12,
  IsComponentsV2: 1 << 15,
} as const;

export const MessageType = {
  Default: 0,
  Reply: 19,
  ChatInputCommand: 20,
  ContextMenuCommand: 23,
} as const;

/** One state of a message: how it was created, then after each edit. */
export interface MessageRevision {
  at: number;
  content: string;
  embeds: ApiObject[];
  components: ApiObject[];
  attachments: FakeAttachment[];
  flags: number;
}

/** Which interaction a message answers, as `interaction_metadata` reports it. */
export interface MessageInteractionLink {
  id: string;
  type: number;
  user: FakeUser;
  commandName: string | undefined;
  commandType: number | undefined;
  guildId: string | null;
  /** Set on follow-ups: the interaction's original response. */
  originalResponseMessageId: string | undefined;
}

export interface MessageReference {
  messageId: string;
  channelId: string;
  guildId: string | null;
}

export interface NewMessage {
  channelId: string;
  guildId: string | null;
  author: FakeUser;
  type: number;
  content: string;
  embeds: ApiObject[];
  components: ApiObject[];
  attachments: FakeAttachment[];
  flags: number;
  tts?: boolean;
  nonce?: string | number | undefined;
  webhookId?: string | null;
  applicationId?: string | null;
  interaction?: MessageInteractionLink | undefined;
  reference?: MessageReference | undefined;
}

/** A message in the fake, with every revision kept. Live: later edits show up here. */
export class FakeMessage {
  readonly id: string;
  readonly channelId: string;
  readonly guildId: string | null;
  readonly author: FakeUser;
  readonly type: number;
  readonly createdAt: number;
  readonly tts: boolean;
  readonly nonce: string | number | undefined;
  readonly webhookId: string | null;
  readonly applicationId: string | null;
  readonly interaction: MessageInteractionLink | undefined;
  readonly reference: MessageReference | undefined;
  /** `history[0]` is the message as created; each edit appends one. */
  readonly history: MessageRevision[];
  deletedAt: number | null = null;

  constructor(id: string, input: NewMessage, at: number) {
    this.id = id;
    this.channelId = input.channelId;
    this.guildId = input.guildId;
    this.author = input.author;
    this.type = input.type;
    this.createdAt = at;
    this.tts = input.tts ?? false;
    this.nonce = input.nonce;
    this.webhookId = input.webhookId ?? null;
    this.applicationId = input.applicationId ?? null;
    this.interaction = input.interaction;
    this.reference = input.reference;
    this.history = [
      {
        at,
        content: input.content,
        embeds: input.embeds,
        components: input.components,
        attachments: input.attachments,
        flags: input.flags,
      },
    ];
  }

  get current(): MessageRevision {
    return this.history[this.history.length - 1] as MessageRevision;
  }

  get content(): string {
    return this.current.content;
  }

  get embeds(): ApiObject[] {
    return this.current.embeds;
  }

  get components(): ApiObject[] {
    return this.current.components;
  }

  get attachments(): FakeAttachment[] {
    return this.current.attachments;
  }

  get flags(): number {
    return this.current.flags;
  }

  get ephemeral(): boolean {
    return (this.flags & MessageFlag.Ephemeral) !== 0;
  }

  /** A deferred response that has not been edited yet ("Bot is thinking…"). */
  get loading(): boolean {
    return (this.flags & MessageFlag.Loading) !== 0;
  }

  get editedAt(): number | null {
    return this.history.length > 1 ? this.current.at : null;
  }

  get deleted(): boolean {
    return this.deletedAt !== null;
  }

  /** Every custom_id of the buttons and selects in the current components. */
  customIds(): string[] {
    const ids: string[] = [];
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (node && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        if (typeof record['custom_id'] === 'string') ids.push(record['custom_id']);
        visit(record['components']);
        visit(record['accessory']);
      }
    };
    visit(this.components);
    return ids;
  }

  /** The component (button, select) with `customId`, with its `type`. */
  findComponent(customId: string): ApiObject | undefined {
    let found: ApiObject | undefined;
    const visit = (node: unknown): void => {
      if (found) return;
      if (Array.isArray(node)) node.forEach(visit);
      else if (node && typeof node === 'object') {
        const record = node as ApiObject;
        if (record['custom_id'] === customId) found = record;
        visit(record['components']);
        visit(record['accessory']);
      }
    };
    visit(this.components);
    return found;
  }
}
