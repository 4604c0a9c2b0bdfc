import type { FakeDiscordEventName, FakeDiscordEvents } from './events.js';
import type { FakeConfig, FakeState } from './fake-state.js';
import { GatewayHub, type DropOptions } from './gateway/gateway-hub.js';
import type { IdentifyRecord, ResumeRecord } from './gateway/gateway-events.js';
import { broadcastMessages } from './gateway/message-broadcaster.js';
import { PRIVILEGED_INTENTS } from './gateway/protocol.js';
import { ListeningServer } from './http/listening-server.js';
import type { InteractionHandle } from './interactions/interaction-handle.js';
import type {
  AutocompleteInput,
  ButtonPressInput,
  ModalSubmitInput,
  SelectInput,
  SlashCommandInput,
} from './interactions/interaction-inputs.js';
import { InteractionInjector } from './interactions/interaction-injector.js';
import {
  DEFAULT_ACK_WINDOW_MS,
  DEFAULT_GLOBAL_RATE_LIMIT,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_TOKEN,
  DEFAULT_TOKEN_LIFETIME_MS,
  DEFAULT_UPLOAD_LIMIT_BYTES,
  type FakeDiscordOptions,
} from './options.js';
import { DEFAULT_BUCKET_LIMITS } from './rate-limits/bucket-limits.js';
import { RateLimiter, type TooManyRequestsRecord } from './rate-limits/rate-limiter.js';
import type { RouteMatcher } from './rate-limits/route-matcher.js';
import { ScriptedRateLimits } from './rate-limits/scripted-rate-limits.js';
import { FailureScript } from './rest/failure-script.js';
import type { RequestRecord } from './rest/request-record.js';
import { serveRest } from './rest/rest-server.js';
import { buildRouters } from './rest/routes/index.js';
import type { ApiObject } from './state/api-objects.js';
import { AttachmentStore } from './state/attachment-store.js';
import { CommandStore, type CommandWrite } from './state/command-store.js';
import type { FakeChannel, FakeGuild, FakeUser } from './state/directory-types.js';
import type { FakeMessage } from './state/fake-message.js';
import { GuildDirectory } from './state/guild-directory.js';
import { InteractionStore } from './state/interaction-store.js';
import { MessageStore } from './state/message-store.js';
import { postUserMessage, type UserMessageInput } from './user-messages.js';
import { DEFAULT_BOT_PERMISSIONS } from './util/permissions.js';
import { nextSnowflake } from './util/snowflake.js';
import { TypedEmitter, type Listener } from './util/typed-emitter.js';

/** A wire-level Discord on 127.0.0.1: REST under /api, the gateway at /gateway, a CDN. */
export class FakeDiscord {
  /** Scripted 429s: `rateLimits.script(matcher, {count, retryAfterMs})`. */
  readonly rateLimits = new ScriptedRateLimits();
  /** Every HTTP request, in the order they were answered. */
  readonly requests: RequestRecord[] = [];
  /** Every 429 served, scripted or not, with whether the client could have known better. */
  readonly tooManyRequests: TooManyRequestsRecord[] = [];
  readonly identifies: IdentifyRecord[] = [];
  readonly resumes: ResumeRecord[] = [];
  private readonly state: FakeState;
  private readonly injector: InteractionInjector;
  private readonly failures = new FailureScript();
  private readonly limiter: RateLimiter;
  private server: ListeningServer | undefined;

  private constructor(
    options: FakeDiscordOptions,
    private readonly host: string,
  ) {
    const events = new TypedEmitter<FakeDiscordEvents>();
    const bot: FakeUser = {
      id: options.botUser?.id ?? nextSnowflake(),
      username: options.botUser?.username ?? 'comfyrelay-test-bot',
      globalName: options.botUser?.globalName ?? null,
      bot: true,
    };
    const config: FakeConfig = {
      token: options.token ?? DEFAULT_TOKEN,
      applicationId: options.applicationId ?? bot.id,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
      interactionAckWindowMs: options.interactionAckWindowMs ?? DEFAULT_ACK_WINDOW_MS,
      interactionTokenLifetimeMs: options.interactionTokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS,
      requireRegisteredCommands: options.requireRegisteredCommands ?? true,
    };
    const directory = new GuildDirectory(options.guilds, {
      bot,
      botPermissions: options.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
      uploadLimitBytes: options.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT_BYTES,
    });
    const baseUrl = (): string => this.url;
    const messages = new MessageStore(events);
    const gateway = new GatewayHub({
      token: config.token,
      applicationId: config.applicationId,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      allowedPrivilegedIntents: options.privilegedIntents ?? PRIVILEGED_INTENTS,
      directory,
      events,
      wsBase: () => this.url.replace(/^http/, 'ws'),
    });
    this.state = {
      config,
      directory,
      messages,
      attachments: new AttachmentStore(baseUrl),
      commands: new CommandStore(config.applicationId, events),
      interactions: new InteractionStore(),
      gateway,
      events,
      baseUrl,
    };
    broadcastMessages(events, messages, gateway, bot.id);
    this.injector = new InteractionInjector(this.state);
    events.on('identify', (record) => this.identifies.push(record));
    events.on('resume', (record) => this.resumes.push(record));
    this.limiter = new RateLimiter(
      { ...DEFAULT_BUCKET_LIMITS, ...options.rateLimits },
      options.globalRateLimitPerSecond ?? DEFAULT_GLOBAL_RATE_LIMIT,
      this.rateLimits,
    );
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options, options.host ?? '127.0.0.1');
    const routers = buildRouters(fake.state);
    const parts = {
      state: fake.state,
      api: routers.api,
      cdn: routers.cdn,
      limiter: fake.limiter,
      failures: fake.failures,
      requests: fake.requests,
      tooManyRequests: fake.tooManyRequests,
    };
    fake.server = await ListeningServer.listen(fake.host, options.port ?? 0, {
      onRequest: (req, res) => serveRest(parts, req, res),
      onWebSocket: (socket, req, path) => fake.state.gateway.accept(socket, req, path),
      webSocketPaths: ['/gateway', '/gateway/resume'],
    });
    return fake;
  }

  /** http://127.0.0.1:PORT — give discord.js `rest: { api: `${url}/api` }`. */
  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** The value for discord.js's and @discordjs/rest's `api` option. */
  get apiUrl(): string {
    return `${this.url}/api`;
  }

  get port(): number {
    if (!this.server) throw new Error('fake Discord is not listening');
    return this.server.port;
  }

  get token(): string {
    return this.state.config.token;
  }

  get applicationId(): string {
    return this.state.config.applicationId;
  }

  get botUser(): FakeUser {
    return this.state.directory.bot;
  }

  get guilds(): FakeGuild[] {
    return this.state.directory.guilds;
  }

  /** By id or name; the first guild by default. */
  guild(ref?: string): FakeGuild {
    return this.state.directory.guild(ref);
  }

  /** By id, or by name in `guildRef` (the first guild by default). */
  channel(ref: string, guildRef?: string): FakeChannel {
    return this.state.directory.channel(ref, guildRef);
  }

  /** A known user by id or username. */
  user(ref: string): FakeUser {
    const user = this.state.directory.findUser(ref);
    if (!user) throw new Error(`fake Discord has no user '${ref}'`);
    return user;
  }

  async stop(): Promise<void> {
    this.state.gateway.closeAll();
    await this.server?.close();
    this.server = undefined;
  }

  // Injecting what users do

  async slashCommand(input: SlashCommandInput): Promise<InteractionHandle> {
    return this.injector.slashCommand(input);
  }

  async autocomplete(input: AutocompleteInput): Promise<InteractionHandle> {
    return this.injector.autocomplete(input);
  }

  async pressButton(input: ButtonPressInput): Promise<InteractionHandle> {
    return this.injector.pressButton(input);
  }

  async selectMenu(input: SelectInput): Promise<InteractionHandle> {
    return this.injector.selectMenu(input);
  }

  async submitModal(input: ModalSubmitInput): Promise<InteractionHandle> {
    return this.injector.submitModal(input);
  }

  /** A message a human posts. */
  async userMessage(input: UserMessageInput = {}): Promise<FakeMessage> {
    return postUserMessage(this.state, input);
  }

  // Observing

  /** The messages of a channel (id or name), deleted and ephemeral ones included; all without one. */
  messages(channelRef?: string): FakeMessage[] {
    if (channelRef === undefined) return this.state.messages.all();
    return this.state.messages.inChannel(this.channel(channelRef).id);
  }

  message(id: string): FakeMessage | undefined {
    return this.state.messages.get(id);
  }

  /** The registered commands of a guild (id or name), or the global ones without `guildRef`. */
  commands(guildRef?: string): ApiObject[] {
    return this.state.commands.list(guildRef === undefined ? null : this.guild(guildRef).id);
  }

  /** Every write to the command lists (PUT, POST, PATCH, DELETE). */
  get commandWrites(): CommandWrite[] {
    return [...this.state.commands.writes];
  }

  /** The handle of an interaction the fake injected. */
  interaction(id: string): InteractionHandle | undefined {
    return this.injector.handle(id);
  }

  /** Sessions that are connected right now. */
  connectedSessions(): number {
    return this.state.gateway.connectedSessions().length;
  }

  /** The first `event` emitted after this call that satisfies `predicate`. */
  nextEvent<K extends FakeDiscordEventName>(
    event: K,
    predicate?: (payload: FakeDiscordEvents[K]) => boolean,
    timeoutMs?: number,
  ): Promise<FakeDiscordEvents[K]> {
    return this.state.events.next(event, predicate, timeoutMs);
  }

  on<K extends FakeDiscordEventName>(event: K, listener: Listener<FakeDiscordEvents[K]>): this {
    this.state.events.on(event, listener);
    return this;
  }

  off<K extends FakeDiscordEventName>(event: K, listener: Listener<FakeDiscordEvents[K]>): this {
    this.state.events.off(event, listener);
    return this;
  }

  // Faults

  /** Closes the bot's gateway sockets: cut (1006) without `code`. Returns how many. */
  dropGateway(options: DropOptions = {}): number {
    return this.state.gateway.drop(options);
  }

  /** Sends op 7 RECONNECT. */
  requestReconnect(): number {
    return this.state.gateway.requestReconnect();
  }

  /** Sends op 9 INVALID_SESSION; with `resumable` false the session is gone. */
  invalidateSession(resumable: boolean): number {
    return this.state.gateway.invalidateSession(resumable);
  }

  /** Stops (or resumes) answering heartbeats, so the client sees a zombie connection. */
  withholdHeartbeatAcks(withhold = true): void {
    this.state.gateway.withholdHeartbeatAcks(withhold);
  }

  /** Every interaction token expires: webhook routes answer 401 Invalid Webhook Token. */
  expireInteractionTokens(): void {
    this.state.interactions.expireAllTokens();
  }

  /** The next `count` requests matching `matcher` get `status` and `body` instead of the route. */
  failNext(matcher: RouteMatcher, status: number, body?: unknown, count = 1): void {
    this.failures.add(matcher, status, body, count);
  }
}
