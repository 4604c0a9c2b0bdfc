import { Dispatcher } from './api/dispatcher.js';
import { Faults, type InjectedError } from './api/faults.js';
import type { FakeState } from './api/method-context.js';
import { ALL_METHODS } from './api/methods/index.js';
import { FloodControl } from './flood/flood-control.js';
import { resolveFloodLimits, type ScriptedFlood } from './flood/flood-options.js';
import { ApiServer } from './http/api-server.js';
import { DEFAULT_LIMITS, DEFAULT_TOKEN, botUserFrom, type FakeTelegramOptions } from './options.js';
import { LongPoll, PollAbandoned } from './polling/long-poll.js';
import type { ApiCall, FakeTelegramEvents, TooManyRequestsRecord } from './records.js';
import { BotMessages } from './state/bot-messages.js';
import { CallbackQueries } from './state/callback-queries.js';
import { ChatStore, type ChatView } from './state/chat-store.js';
import { CommandStore } from './state/command-store.js';
import { FileStore } from './state/file-store.js';
import { UpdateQueue } from './state/update-queue.js';
import type { BotCommand, BotCommandScope, BotUser, Chat } from './types.js';
import type { CallbackQueryHandle, UserActionHandle } from './users/action-handle.js';
import { UserActions } from './users/user-actions.js';
import type { PressButtonInput, SendPhotoInput, SendTextInput } from './users/user-input.js';
import { TypedEmitter } from './util/typed-emitter.js';
import { DEFAULT_WAIT_MS } from './util/wait-for.js';
import { WebhookDeliverer } from './webhook/webhook-deliverer.js';

export type FakeTelegramEventName = keyof FakeTelegramEvents;

/** Test-side control of flood limits. */
export interface FloodLimitControl {
  /** The next `count` calls matching chatId and/or method get 429 with `retryAfterS`. */
  script(rule: ScriptedFlood): void;
}

/**
 * A fake Telegram Bot API server on a real port. Point grammY at `apiRoot`, act as users with
 * sendText / sendPhoto / pressButton, and observe what the bot did through chat(), calls and events.
 */
export class FakeTelegram {
  readonly token: string;
  readonly bot: BotUser;
  readonly floodLimits: FloodLimitControl;
  private readonly events = new TypedEmitter<FakeTelegramEvents>();
  private readonly state: FakeState;
  private readonly dispatcher: Dispatcher;
  private readonly faults = new Faults();
  private readonly users: UserActions;
  private readonly host: string;
  private readonly maxBodyBytes: number;
  private server: ApiServer | undefined;
  private boundPort = 0;

  private constructor(options: FakeTelegramOptions) {
    this.token = options.token ?? DEFAULT_TOKEN;
    this.bot = botUserFrom(this.token, options.bot);
    this.host = options.host ?? '127.0.0.1';
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    // Room for a full album of the largest uploads, plus multipart framing.
    this.maxBodyBytes = 10 * Math.max(limits.uploadBytes, limits.photoBytes) + 1024 * 1024;
    const chats = new ChatStore();
    const updates = new UpdateQueue();
    updates.onRemove((update_ids) => this.events.emit('confirm', { update_ids }));
    const flood = new FloodControl(resolveFloodLimits(options.floodLimits), this.events);
    this.state = {
      bot: this.bot,
      limits,
      chats,
      files: new FileStore(),
      // Messages carry the plain User, without getMe's capability flags.
      messages: new BotMessages(
        chats,
        {
          id: this.bot.id,
          is_bot: true,
          first_name: this.bot.first_name,
          username: this.bot.username,
        },
        this.events,
      ),
      updates,
      longPoll: new LongPoll(updates, this.events),
      webhook: new WebhookDeliverer(
        updates,
        this.events,
        {
          initialDelayMs: options.webhookRetryDelayMs ?? 100,
          maxDelayMs: options.webhookMaxRetryDelayMs ?? 5000,
        },
        (method, params) => void this.performWebhookReply(method, params),
      ),
      commands: new CommandStore(),
      callbacks: new CallbackQueries(options.callbackAnswerTimeoutMs ?? 15_000),
      flood,
      events: this.events,
    };
    this.floodLimits = { script: (rule) => flood.script(rule) };
    this.dispatcher = new Dispatcher(ALL_METHODS, this.state, this.faults);
    this.users = new UserActions(this.state);
  }

  static async start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const telegram = new FakeTelegram(options);
    await telegram.listen(options.port ?? 0);
    return telegram;
  }

  /** What to pass as grammY's `client.apiRoot`. */
  get apiRoot(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.boundPort}`;
  }

  get port(): number {
    return this.boundPort;
  }

  // --- acting as users ---

  sendText(input: SendTextInput): UserActionHandle {
    return this.users.sendText(input);
  }

  sendPhoto(input: SendPhotoInput): UserActionHandle {
    return this.users.sendPhoto(input);
  }

  pressButton(input: PressButtonInput): CallbackQueryHandle {
    return this.users.pressButton(input);
  }

  /** Makes a chat known without a user message, so the bot may send to it. */
  openChat(chat: Chat): void {
    this.state.chats.open(chat);
  }

  // --- observing ---

  chat(chatId: number): ChatView {
    return this.state.chats.view(chatId);
  }

  /** Every API call, in the order they were answered. */
  get calls(): readonly ApiCall[] {
    return this.dispatcher.calls;
  }

  /** The commands set for exactly this scope and language (default scope, no language by default). */
  commands(scope: BotCommandScope = { type: 'default' }, languageCode = ''): BotCommand[] {
    return this.state.commands.get(scope, languageCode);
  }

  /** Every 429 the fake answered, scripted or not, with whether the bot could have avoided it. */
  get tooManyRequests(): readonly TooManyRequestsRecord[] {
    return this.state.flood.records;
  }

  /** Updates queued and not yet confirmed by the bot. */
  get pendingUpdateCount(): number {
    return this.state.updates.size;
  }

  /** Resolves with the next event of this kind that matches; subscribe before causing it. */
  nextEvent<K extends FakeTelegramEventName>(
    kind: K,
    predicate: (payload: FakeTelegramEvents[K]) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<FakeTelegramEvents[K]> {
    return new Promise((resolve, reject) => {
      const listener = (payload: FakeTelegramEvents[K]): void => {
        if (!predicate(payload)) return;
        clearTimeout(timer);
        this.events.off(kind, listener);
        resolve(payload);
      };
      const timer = setTimeout(() => {
        this.events.off(kind, listener);
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for fake Telegram event '${kind}'`),
        );
      }, timeoutMs);
      this.events.on(kind, listener);
    });
  }

  on<K extends FakeTelegramEventName>(
    kind: K,
    listener: (payload: FakeTelegramEvents[K]) => void,
  ): void {
    this.events.on(kind, listener);
  }

  off<K extends FakeTelegramEventName>(
    kind: K,
    listener: (payload: FakeTelegramEvents[K]) => void,
  ): void {
    this.events.off(kind, listener);
  }

  // --- faults ---

  /** The next call of `method` answers with this error instead of running. */
  failNext(method: string, error: InjectedError): void {
    this.faults.failNext(method, error);
  }

  /** Destroys the sockets of getUpdates requests still waiting; their updates stay queued. */
  dropPollingConnections(): void {
    this.server?.dropPollingConnections();
  }

  /**
   * Like Telegram's API server restarting: every connection drops, then the same port listens
   * again. Chats, files, commands and the webhook stay; pending updates too unless told otherwise.
   */
  async restart(options: { keepPendingUpdates?: boolean } = {}): Promise<void> {
    await this.closeServer();
    if (options.keepPendingUpdates === false) this.state.updates.clear();
    await this.listen(this.boundPort);
  }

  async stop(): Promise<void> {
    this.state.webhook.stop();
    await this.closeServer();
  }

  private async listen(port: number): Promise<void> {
    const server = new ApiServer({
      token: this.token,
      dispatcher: this.dispatcher,
      files: this.state.files,
      maxBodyBytes: this.maxBodyBytes,
    });
    this.boundPort = await server.listen(port, this.host);
    this.server = server;
  }

  private async closeServer(): Promise<void> {
    this.state.longPoll.terminate(new PollAbandoned());
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }

  /** A method returned in a webhook answer: Telegram performs it, and nobody sees the result. */
  private async performWebhookReply(
    method: string,
    params: Record<string, unknown>,
  ): Promise<void> {
    const args = { params, uploads: new Map() };
    await this.dispatcher.dispatch(method, args, new AbortController().signal);
  }
}
