import { connect, type Socket } from 'node:net';
import { KindSniffer } from './kind-sniffer.js';
import { PacedPipe } from './paced-pipe.js';
import type { Pacing } from './pacing.js';
import type {
  ConnectionInfo,
  ConnectionKind,
  CutMode,
  FaultProxyOptions,
  UpstreamCloseReason,
} from './types.js';

/** What the proxy wants to hear about one connection. */
export interface ConnectionObserver {
  kindKnown(connection: ProxiedConnection): void;
  clientClosed(connection: ProxiedConnection): void;
  upstreamClosed(connection: ProxiedConnection, reason: UpstreamCloseReason): void;
  finished(connection: ProxiedConnection): void;
}

/** One client connection and the proxy's own connection to the server on its behalf. */
export class ProxiedConnection {
  kind: ConnectionKind = 'unknown';
  readonly openedAt = Date.now();
  /** Resolves once both sockets are closed. */
  readonly finished: Promise<void>;
  private halfOpen = false;
  private halfOpenTimer: NodeJS.Timeout | undefined;
  private wasCut = false;
  private clientOpen = true;
  private upstreamOpen = true;
  private clientEnded = false;
  private upstreamEnded = false;
  private upstreamConnected = false;
  private upstreamCloseReported = false;
  private resolveFinished!: () => void;
  private readonly sniffer = new KindSniffer();
  private readonly upstream: Socket;
  private readonly toUpstream: PacedPipe;
  private readonly toClient: PacedPipe;

  constructor(
    readonly id: number,
    private readonly client: Socket,
    target: FaultProxyOptions['target'],
    pacing: Pacing,
    private readonly observer: ConnectionObserver,
  ) {
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    this.upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true });
    // Small WebSocket frames must not wait for Nagle's algorithm; the proxy adds no latency itself.
    client.setNoDelay(true);
    this.upstream.setNoDelay(true);
    this.toUpstream = new PacedPipe(client, this.upstream, pacing);
    this.toClient = new PacedPipe(this.upstream, client, pacing);
    this.wireClient();
    this.wireUpstream();
  }

  info(): ConnectionInfo {
    return { id: this.id, kind: this.kind, openedAt: this.openedAt, halfOpen: this.halfOpen };
  }

  /** An open WebSocket that has not been cut yet. */
  get cuttable(): boolean {
    return this.kind === 'websocket' && !this.wasCut && this.clientOpen;
  }

  cut(halfOpenMs: number, mode: CutMode): void {
    if (!this.cuttable) return;
    this.wasCut = true;
    this.toUpstream.sever();
    this.toClient.sever();
    closeSocket(this.client, mode);
    if (halfOpenMs > 0 && this.upstreamOpen) {
      this.halfOpen = true;
      this.halfOpenTimer = setTimeout(
        () => this.closeUpstream('half-open-ended', mode),
        halfOpenMs,
      );
    } else {
      this.closeUpstream('cut', mode);
    }
  }

  /** Destroys both sides at once, whatever state they are in. */
  drop(reason: 'dropped' | 'stopped'): Promise<void> {
    this.toUpstream.sever();
    this.toClient.sever();
    this.closeUpstream(reason, 'destroy');
    this.client.destroy();
    return this.finished;
  }

  repace(): void {
    this.toUpstream.repace();
    this.toClient.repace();
  }

  private wireClient(): void {
    this.client.on('data', (bytes: Buffer) => {
      this.sniff(bytes);
      this.toUpstream.push(bytes);
    });
    this.client.on('end', () => {
      this.clientEnded = true;
      if (this.wasCut) this.client.destroy();
      else this.toUpstream.endAfterHeldData();
    });
    this.client.on('error', ignoreBecauseCloseFollows);
    this.client.on('close', () => this.onClientClose());
  }

  private wireUpstream(): void {
    this.upstream.on('connect', () => {
      this.upstreamConnected = true;
    });
    this.upstream.on('data', (bytes: Buffer) => this.toClient.push(bytes));
    this.upstream.on('end', () => {
      this.upstreamEnded = true;
      // During a half-open period the server gave up first; nobody is left to pass the FIN to.
      if (this.wasCut) this.upstream.destroy();
      else this.toClient.endAfterHeldData();
    });
    this.upstream.on('error', ignoreBecauseCloseFollows);
    this.upstream.on('close', () => this.onUpstreamClose());
  }

  private sniff(bytes: Buffer): void {
    const kind = this.sniffer.feed(bytes);
    if (kind === undefined) return;
    this.kind = kind;
    this.observer.kindKnown(this);
  }

  private onClientClose(): void {
    this.clientOpen = false;
    this.toClient.sever();
    this.observer.clientClosed(this);
    // A FIN was already passed on in order; anything else (RST, error) is passed on as a destroy.
    if (!this.clientEnded && !this.wasCut) {
      this.toUpstream.sever();
      this.closeUpstream('client', 'destroy');
    }
    this.finishIfBothClosed();
  }

  private onUpstreamClose(): void {
    this.upstreamOpen = false;
    this.toUpstream.sever();
    if (!this.upstreamEnded && !this.wasCut) {
      this.toClient.sever();
      this.client.destroy();
    }
    this.reportUpstreamClosed(this.upstreamConnected ? 'server' : 'unreachable');
    this.finishIfBothClosed();
  }

  private closeUpstream(reason: UpstreamCloseReason, how: CutMode | 'destroy'): void {
    // Reported before closing, so the report comes before anything the server does about it.
    this.reportUpstreamClosed(reason);
    closeSocket(this.upstream, how);
  }

  private reportUpstreamClosed(reason: UpstreamCloseReason): void {
    if (this.upstreamCloseReported) return;
    this.upstreamCloseReported = true;
    this.halfOpen = false;
    clearTimeout(this.halfOpenTimer);
    this.halfOpenTimer = undefined;
    this.observer.upstreamClosed(this, reason);
  }

  private finishIfBothClosed(): void {
    if (this.clientOpen || this.upstreamOpen) return;
    this.observer.finished(this);
    this.resolveFinished();
  }
}

function closeSocket(socket: Socket, how: CutMode | 'destroy'): void {
  if (socket.destroyed) return;
  if (how === 'reset') socket.resetAndDestroy();
  // destroySoon sends the FIN after pending writes, then releases the socket.
  else if (how === 'end') socket.destroySoon();
  else socket.destroy();
}

// Socket errors (ECONNRESET, EPIPE, ECONNREFUSED) are always followed by 'close', which handles them.
function ignoreBecauseCloseFollows(): void {}
