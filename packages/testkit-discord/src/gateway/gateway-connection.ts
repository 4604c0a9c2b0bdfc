import type { WebSocket } from 'ws';
import { CloseCode, Op, type GatewayPayload } from './protocol.js';
import type { GatewaySession, RecordedDispatch } from './gateway-session.js';

/** What a connection asks of the hub that owns the sessions. */
export interface ConnectionHost {
  heartbeatIntervalMs(): number;
  acksHeartbeats(): boolean;
  onHeartbeat(connection: GatewayConnection, seq: unknown): void;
  onIdentify(connection: GatewayConnection, data: unknown): void;
  onResume(connection: GatewayConnection, data: unknown): void;
  onRequestGuildMembers(connection: GatewayConnection, data: unknown): void;
  onClosed(connection: GatewayConnection, code: number, byClient: boolean): void;
}

/** Discord closes a socket that sends more than 120 payloads in 60 s. */
const SEND_LIMIT = 120;
const SEND_WINDOW_MS = 60_000;

let nextConnectionId = 1;

/** One gateway socket: HELLO, then IDENTIFY or RESUME, heartbeats, dispatches. */
export class GatewayConnection {
  readonly id = nextConnectionId++;
  session: GatewaySession | undefined;
  private closedByServer = false;
  private closed = false;
  private received: number[] = [];

  constructor(
    private readonly socket: WebSocket,
    private readonly host: ConnectionHost,
  ) {
    socket.on('message', (raw, isBinary) => this.onMessage(raw as Buffer, isBinary));
    socket.on('close', (code) => this.onClose(code));
    socket.on('error', () => undefined);
  }

  get open(): boolean {
    return !this.closed && this.socket.readyState === this.socket.OPEN;
  }

  hello(): void {
    this.send({
      op: Op.Hello,
      d: { heartbeat_interval: this.host.heartbeatIntervalMs() },
      s: null,
      t: null,
    });
  }

  sendDispatch(dispatch: RecordedDispatch): void {
    this.send({ op: Op.Dispatch, d: dispatch.d, s: dispatch.s, t: dispatch.t });
  }

  send(payload: GatewayPayload): void {
    if (this.open) this.socket.send(JSON.stringify(payload));
  }

  close(code: number, reason = ''): void {
    if (this.closed) return;
    this.closedByServer = true;
    this.socket.close(code, reason);
  }

  /** Drops the TCP connection without a close frame: the client sees 1006. */
  terminate(): void {
    if (this.closed) return;
    this.closedByServer = true;
    this.socket.terminate();
  }

  private onMessage(raw: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    if (this.overSendLimit()) {
      this.close(CloseCode.RateLimited, 'You are being rate limited.');
      return;
    }
    let payload: Partial<GatewayPayload>;
    try {
      if (isBinary)
        throw new Error('binary frames are ETF or compressed, which the fake does not speak');
      payload = JSON.parse(raw.toString('utf8')) as Partial<GatewayPayload>;
    } catch {
      this.close(CloseCode.DecodeError, 'Error while decoding payload.');
      return;
    }
    this.dispatchOp(payload);
  }

  private dispatchOp(payload: Partial<GatewayPayload>): void {
    switch (payload.op) {
      case Op.Heartbeat:
        this.host.onHeartbeat(this, payload.d);
        if (this.host.acksHeartbeats())
          this.send({ op: Op.HeartbeatAck, d: null, s: null, t: null });
        return;
      case Op.Identify:
        if (this.session)
          this.close(CloseCode.AlreadyAuthenticated, 'You sent more than one identify payload.');
        else this.host.onIdentify(this, payload.d);
        return;
      case Op.Resume:
        this.host.onResume(this, payload.d);
        return;
      case Op.PresenceUpdate:
      case Op.VoiceStateUpdate:
      case Op.RequestSoundboardSounds:
      case Op.RequestGuildMembers:
        if (!this.session) {
          this.close(CloseCode.NotAuthenticated, 'You sent a payload prior to identifying.');
        } else if (payload.op === Op.RequestGuildMembers) {
          this.host.onRequestGuildMembers(this, payload.d);
        }
        return;
      default:
        this.close(CloseCode.UnknownOpcode, 'Unknown opcode.');
    }
  }

  private overSendLimit(): boolean {
    const now = Date.now();
    this.received = this.received.filter((at) => at > now - SEND_WINDOW_MS);
    this.received.push(now);
    return this.received.length > SEND_LIMIT;
  }

  private onClose(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.host.onClosed(this, code, !this.closedByServer);
  }
}
