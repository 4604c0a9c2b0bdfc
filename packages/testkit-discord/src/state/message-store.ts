import type { TypedEmitter } from '../util/typed-emitter.js';
import { nextSnowflake } from '../util/snowflake.js';
import { FakeMessage, type MessageRevision, type NewMessage } from './fake-message.js';

export interface MessageStoreEvents {
  'message-create': { message: FakeMessage };
  'message-update': { message: FakeMessage; revision: MessageRevision };
  'message-delete': { message: FakeMessage };
}

export type RevisionChanges = Partial<Omit<MessageRevision, 'at'>>;

/** Every message, in creation order per channel; edits and deletes are recorded, not applied in place. */
export class MessageStore {
  private readonly byId = new Map<string, FakeMessage>();
  private readonly byChannel = new Map<string, FakeMessage[]>();

  constructor(private readonly events: TypedEmitter<MessageStoreEvents>) {}

  create(input: NewMessage): FakeMessage {
    const now = Date.now();
    const message = new FakeMessage(nextSnowflake(now), input, now);
    this.byId.set(message.id, message);
    const list = this.byChannel.get(message.channelId) ?? [];
    list.push(message);
    this.byChannel.set(message.channelId, list);
    this.events.emit('message-create', { message });
    return message;
  }

  edit(message: FakeMessage, changes: RevisionChanges): MessageRevision {
    const revision: MessageRevision = { ...message.current, ...changes, at: Date.now() };
    message.history.push(revision);
    this.events.emit('message-update', { message, revision });
    return revision;
  }

  delete(message: FakeMessage): void {
    if (message.deleted) return;
    message.deletedAt = Date.now();
    this.events.emit('message-delete', { message });
  }

  get(id: string): FakeMessage | undefined {
    return this.byId.get(id);
  }

  /** A message that still exists in `channelId`. */
  live(channelId: string, id: string): FakeMessage | undefined {
    const message = this.byId.get(id);
    return message && message.channelId === channelId && !message.deleted ? message : undefined;
  }

  /** All messages of the channel, deleted ones included, oldest first. */
  inChannel(channelId: string): FakeMessage[] {
    return [...(this.byChannel.get(channelId) ?? [])];
  }

  all(): FakeMessage[] {
    return [...this.byId.values()];
  }

  /** For `enforce_nonce`: a recent message of the same author in the channel with this nonce. */
  findByNonce(
    channelId: string,
    authorId: string,
    nonce: string | number,
  ): FakeMessage | undefined {
    const recent = Date.now() - 5 * 60_000;
    return this.inChannel(channelId).find(
      (m) => m.nonce === nonce && m.author.id === authorId && m.createdAt >= recent,
    );
  }
}
