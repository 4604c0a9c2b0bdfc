import type { FakeState } from '../fake-state.js';
import type { ApiObject } from '../state/api-objects.js';
import type { FakeUser } from '../state/directory-types.js';
import type { FakeMessage } from '../state/fake-message.js';
import type { InteractionCallbackRecord, InteractionRecord } from '../state/interaction-record.js';
import { waitUntil } from '../util/wait-until.js';

const DEFAULT_TIMEOUT_MS = 10_000;

/** What a test holds after injecting an interaction: the bot's answers to it. */
export class InteractionHandle {
  constructor(
    private readonly record: InteractionRecord,
    private readonly state: FakeState,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get token(): string {
    return this.record.token;
  }

  /** 2 command, 3 component, 4 autocomplete, 5 modal submit. */
  get type(): number {
    return this.record.type;
  }

  get user(): FakeUser {
    return this.record.user;
  }

  get channelId(): string {
    return this.record.channelId;
  }

  get guildId(): string | null {
    return this.record.guildId;
  }

  /** The INTERACTION_CREATE data as dispatched. */
  get payload(): ApiObject {
    return this.record.payload;
  }

  /** Every callback attempt, refused ones included. */
  get callbacks(): InteractionCallbackRecord[] {
    return [...this.record.callbacks];
  }

  get acknowledged(): boolean {
    return this.record.ack !== undefined;
  }

  /** The accepted initial response (the callback), once the bot sends it. */
  response(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<InteractionCallbackRecord> {
    return waitUntil(
      this.state.events,
      ['interaction-callback'],
      () => this.record.ack,
      timeoutMs,
      `the response to interaction ${this.id}`,
    );
  }

  /** The current @original message: the reply, or the message a component update targets. */
  original(): FakeMessage | undefined {
    const id = this.record.originalMessageId;
    return id === undefined ? undefined : this.state.messages.get(id);
  }

  /** Follow-up messages, oldest first (a follow-up that filled a deferred reply is the original). */
  followUps(): FakeMessage[] {
    return this.record.followUpIds.flatMap((id) => this.state.messages.get(id) ?? []);
  }

  /** Resolves with @original once it exists and satisfies `predicate` (checked after each change). */
  waitForOriginal(
    predicate: (message: FakeMessage) => boolean = () => true,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<FakeMessage> {
    return waitUntil(
      this.state.events,
      ['message-create', 'message-update', 'interaction-callback'],
      () => {
        const original = this.original();
        return original && predicate(original) ? original : undefined;
      },
      timeoutMs,
      `the original response of interaction ${this.id} to match`,
    );
  }

  /** Resolves with the first follow-up that satisfies `predicate`. */
  waitForFollowUp(
    predicate: (message: FakeMessage) => boolean = () => true,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<FakeMessage> {
    return waitUntil(
      this.state.events,
      ['message-create', 'message-update'],
      () => this.followUps().find(predicate),
      timeoutMs,
      `a follow-up of interaction ${this.id}`,
    );
  }

  /** The next callback answers 404 Unknown interaction, as after Discord's 3 s window. */
  expireAckWindow(): void {
    this.record.expireAckWindow();
  }

  /** Webhook routes answer 401 Invalid Webhook Token, as after 15 minutes. */
  expireToken(): void {
    this.record.expireToken();
  }
}
