import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { apiGuildCreate } from '../state/api-objects.js';
import type { FakeGuild } from '../state/directory-types.js';
import type { GuildDirectory } from '../state/guild-directory.js';
import type { TypedEmitter } from '../util/typed-emitter.js';
import { GatewayConnection, type ConnectionHost } from './gateway-connection.js';
import type { GatewayEvents } from './gateway-events.js';
import { GatewaySession } from './gateway-session.js';
import { memberChunk } from './member-chunk.js';
import { readyPayload } from './ready-payload.js';
import {
  CloseCode,
  Intent,
  intentFor,
  KNOWN_INTENTS,
  Op,
  PRIVILEGED_INTENTS,
  shardOf,
} from './protocol.js';

export interface GatewaySettings {
  token: string;
  applicationId: string;
  heartbeatIntervalMs: number;
  allowedPrivilegedIntents: number;
  directory: GuildDirectory;
  events: TypedEmitter<GatewayEvents>;
  /** ws://host:port, known once the server listens. */
  wsBase(): string;
}

/** Dispatch data per session, so it can depend on the session's intents. */
export type DispatchData = unknown | ((session: GatewaySession) => unknown);

export interface DropOptions {
  /** A close code to send; without one the TCP connection is cut (the client sees 1006). */
  code?: number;
  /** false: the session is gone too, so the client's RESUME gets INVALID_SESSION. */
  resumable?: boolean;
}

/** The gateway side of the fake: sockets, sessions, dispatch fan-out, and gateway faults. */
export class GatewayHub implements ConnectionHost {
  readonly sessions = new Map<string, GatewaySession>();
  private readonly connections = new Set<GatewayConnection>();
  private readonly attached = new Map<GatewaySession, GatewayConnection>();
  private heartbeatAcks = true;
  private identifyCount = 0;

  constructor(private readonly settings: GatewaySettings) {}

  get identifies(): number {
    return this.identifyCount;
  }

  accept(socket: WebSocket, request: IncomingMessage, path: string): void {
    const query = Object.fromEntries(new URL(request.url ?? '/', 'http://fake').searchParams);
    const connection = new GatewayConnection(socket, this);
    this.connections.add(connection);
    this.settings.events.emit('gateway-connect', { connectionId: connection.id, path, query });
    if (query['v'] !== undefined && query['v'] !== '10' && query['v'] !== '9') {
      connection.close(CloseCode.InvalidApiVersion, 'Invalid API version.');
      return;
    }
    if (query['encoding'] !== undefined && query['encoding'] !== 'json') {
      connection.close(CloseCode.DecodeError, 'Only encoding=json is supported by the fake.');
      return;
    }
    // compress=zlib-stream is ignored: text frames are valid either way, and clients accept them.
    connection.hello();
  }

  /** Sends `t` to every live session whose shard and intents cover it; returns how many. */
  dispatch(t: string, data: DispatchData, guildId: string | null): number {
    let recipients = 0;
    for (const session of this.sessions.values()) {
      if (!session.resumable) continue;
      const [shardId, shardCount] = session.identity.shard;
      if (shardOf(guildId, shardCount) !== shardId) continue;
      const intent = intentFor(t, guildId);
      if (intent !== undefined && (session.identity.intents & intent) === 0) continue;
      this.dispatchTo(session, t, typeof data === 'function' ? data(session) : data);
      recipients += 1;
    }
    return recipients;
  }

  /** Sessions that still receive dispatches (connected, or disconnected but resumable). */
  liveSessions(): GatewaySession[] {
    return [...this.sessions.values()].filter((session) => session.resumable);
  }

  connectedSessions(): GatewaySession[] {
    return this.liveSessions().filter((session) => this.attached.get(session)?.open);
  }

  drop(options: DropOptions = {}): number {
    const targets = [...this.connections].filter((connection) => connection.open);
    for (const connection of targets) {
      if (options.resumable === false && connection.session) connection.session.resumable = false;
      if (options.code === undefined) connection.terminate();
      else connection.close(options.code, 'Dropped by the test');
    }
    return targets.length;
  }

  requestReconnect(): number {
    return this.sendToSessions({ op: Op.Reconnect, d: null, s: null, t: null });
  }

  invalidateSession(resumable: boolean): number {
    const count = this.sendToSessions({ op: Op.InvalidSession, d: resumable, s: null, t: null });
    if (!resumable) {
      for (const connection of this.connections) {
        if (connection.session) connection.session.resumable = false;
      }
    }
    return count;
  }

  withholdHeartbeatAcks(withhold: boolean): void {
    this.heartbeatAcks = !withhold;
  }

  closeAll(): void {
    for (const connection of this.connections) connection.terminate();
  }

  heartbeatIntervalMs(): number {
    return this.settings.heartbeatIntervalMs;
  }

  acksHeartbeats(): boolean {
    return this.heartbeatAcks;
  }

  onHeartbeat(connection: GatewayConnection, seq: unknown): void {
    this.settings.events.emit('heartbeat', { connectionId: connection.id, seq });
  }

  onIdentify(connection: GatewayConnection, data: unknown): void {
    const identify = (data ?? {}) as Record<string, unknown>;
    if (identify['token'] !== this.settings.token) {
      connection.close(CloseCode.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const intents = identify['intents'];
    if (
      typeof intents !== 'number' ||
      !Number.isInteger(intents) ||
      (intents & ~KNOWN_INTENTS) !== 0
    ) {
      connection.close(CloseCode.InvalidIntents, 'Invalid intent(s).');
      return;
    }
    if ((intents & PRIVILEGED_INTENTS & ~this.settings.allowedPrivilegedIntents) !== 0) {
      connection.close(CloseCode.DisallowedIntents, 'Disallowed intent(s).');
      return;
    }
    const shard = (identify['shard'] as [number, number] | undefined) ?? [0, 1];
    if (!validShard(shard)) {
      connection.close(CloseCode.InvalidShard, 'Invalid shard.');
      return;
    }
    const session = new GatewaySession({ token: this.settings.token, intents, shard });
    this.sessions.set(session.id, session);
    this.attach(connection, session);
    this.identifyCount += 1;
    this.settings.events.emit('identify', {
      at: Date.now(),
      sessionId: session.id,
      connectionId: connection.id,
      intents,
      shard,
      properties: identify['properties'],
      compress: identify['compress'] === true,
    });
    this.sendReady(session);
  }

  onResume(connection: GatewayConnection, data: unknown): void {
    const resume = (data ?? {}) as Record<string, unknown>;
    if (resume['token'] !== this.settings.token) {
      connection.close(CloseCode.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const sessionId = String(resume['session_id']);
    const seq = typeof resume['seq'] === 'number' ? resume['seq'] : 0;
    const session = this.sessions.get(sessionId);
    const missed = session?.resumable ? session.after(seq) : undefined;
    const record = { at: Date.now(), sessionId, connectionId: connection.id, seq };
    if (!session || !missed) {
      if (session) session.resumable = false;
      connection.send({ op: Op.InvalidSession, d: false, s: null, t: null });
      this.settings.events.emit('resume', { ...record, accepted: false, replayed: 0 });
      return;
    }
    const previous = this.attached.get(session);
    if (previous && previous !== connection) {
      this.attached.delete(session);
      previous.terminate();
    }
    this.attach(connection, session);
    for (const dispatch of missed) connection.sendDispatch(dispatch);
    connection.sendDispatch(session.stamp('RESUMED', {}));
    this.settings.events.emit('resume', { ...record, accepted: true, replayed: missed.length });
  }

  onRequestGuildMembers(connection: GatewayConnection, data: unknown): void {
    const request = (data ?? {}) as Record<string, unknown>;
    const guild = this.settings.directory.guildById(String(request['guild_id']));
    if (guild && connection.session) {
      this.dispatchTo(connection.session, 'GUILD_MEMBERS_CHUNK', memberChunk(guild, request));
    }
  }

  onClosed(connection: GatewayConnection, code: number, byClient: boolean): void {
    this.connections.delete(connection);
    const session = connection.session;
    if (session && this.attached.get(session) === connection) this.attached.delete(session);
    // A client that closes with 1000/1001 ends its session; any other code keeps it resumable.
    if (session && byClient && (code === 1000 || code === 1001)) session.resumable = false;
    this.settings.events.emit('gateway-close', {
      connectionId: connection.id,
      code,
      byClient,
      sessionId: session?.id,
    });
  }

  private attach(connection: GatewayConnection, session: GatewaySession): void {
    connection.session = session;
    this.attached.set(session, connection);
  }

  private dispatchTo(session: GatewaySession, t: string, d: unknown): void {
    const dispatch = session.record(t, d);
    const connection = this.attached.get(session);
    const delivered = connection?.open ?? false;
    if (connection && delivered) connection.sendDispatch(dispatch);
    this.settings.events.emit('dispatch', { sessionId: session.id, t, s: dispatch.s, delivered });
  }

  private sendReady(session: GatewaySession): void {
    const guilds = this.guildsOf(session);
    this.dispatchTo(
      session,
      'READY',
      readyPayload(session, guilds, {
        bot: this.settings.directory.bot,
        applicationId: this.settings.applicationId,
        resumeGatewayUrl: `${this.settings.wsBase()}/gateway/resume`,
        allowedPrivilegedIntents: this.settings.allowedPrivilegedIntents,
      }),
    );
    if ((session.identity.intents & Intent.Guilds) === 0) return;
    for (const guild of guilds) {
      this.dispatchTo(session, 'GUILD_CREATE', apiGuildCreate(guild, this.settings.directory.bot));
    }
  }

  private guildsOf(session: GatewaySession): FakeGuild[] {
    const [shardId, shardCount] = session.identity.shard;
    return this.settings.directory.guilds.filter(
      (guild) => shardOf(guild.id, shardCount) === shardId,
    );
  }

  private sendToSessions(payload: { op: number; d: unknown; s: null; t: null }): number {
    let count = 0;
    for (const connection of this.connections) {
      if (!connection.session || !connection.open) continue;
      connection.send(payload);
      count += 1;
    }
    return count;
  }
}

function validShard(shard: unknown): shard is [number, number] {
  return (
    Array.isArray(shard) &&
    shard.length === 2 &&
    Number.isInteger(shard[0]) &&
    Number.isInteger(shard[1]) &&
    shard[1] >= 1 &&
    shard[0] >= 0 &&
    shard[0] < shard[1]
  );
}
