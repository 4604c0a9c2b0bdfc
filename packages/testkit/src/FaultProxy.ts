import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { CutSchedule } from './fault-proxy/cut-schedule.js';
import { EventHub, type Listener } from './fault-proxy/event-hub.js';
import { Pacing, requireNonNegative } from './fault-proxy/pacing.js';
import { ProxiedConnection, type ConnectionObserver } from './fault-proxy/proxied-connection.js';
import type {
  ConnectionInfo,
  CutOptions,
  FaultProxyEvents,
  FaultProxyOptions,
  RefuseOptions,
  ScheduledCutOptions,
  SlowOptions,
} from './fault-proxy/types.js';

/**
 * A TCP proxy between a client (e.g. the relay, possibly in a child process) and a ComfyUI server,
 * for tests that inject network faults: cut WebSockets (optionally leaving the server side
 * half-open), refuse connections, slow traffic down. Bytes are always forwarded unchanged.
 */
export class FaultProxy {
  private readonly events = new EventHub<FaultProxyEvents>('FaultProxy');
  private readonly pacing = new Pacing();
  private readonly open = new Map<number, ProxiedConnection>();
  private readonly schedules = new Set<CutSchedule>();
  private listener: Server | undefined;
  private boundPort: number;
  private nextId = 1;
  private stopping: Promise<void> | undefined;

  private readonly observer: ConnectionObserver = {
    kindKnown: ({ id, kind }) => this.events.emit('connection', { id, kind }),
    clientClosed: ({ id, kind }) => this.events.emit('client-close', { id, kind }),
    upstreamClosed: ({ id, kind }, reason) =>
      this.events.emit('upstream-close', { id, kind, reason }),
    finished: ({ id }) => this.open.delete(id),
  };

  private constructor(
    private readonly target: FaultProxyOptions['target'],
    private readonly host: string,
    port: number,
  ) {
    this.boundPort = port;
  }

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options.target, options.host ?? '127.0.0.1', options.port ?? 0);
    await proxy.listen();
    return proxy;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.boundPort}`;
  }

  /** Cuts every open WebSocket connection now; returns how many were cut. */
  cutWebSockets(options: CutOptions = {}): number {
    const halfOpenMs = requireNonNegative('halfOpenMs', options.halfOpenMs ?? 0);
    const mode = options.mode ?? 'reset';
    const victims = [...this.open.values()].filter((connection) => connection.cuttable);
    for (const connection of victims) {
      this.events.emit('cut', { id: connection.id, halfOpenMs });
      connection.cut(halfOpenMs, mode);
    }
    return victims.length;
  }

  /** Cuts open WebSockets `afterMs` from now, `times` times, each `afterMs` after the previous cut. */
  cutWebSocketsAfter(afterMs: number, options: ScheduledCutOptions = {}): void {
    const { times = 1, ...cutOptions } = options;
    requireNonNegative('afterMs', afterMs);
    requireNonNegative('halfOpenMs', cutOptions.halfOpenMs ?? 0);
    if (!Number.isInteger(times) || times < 1) {
      throw new RangeError(`times must be an integer >= 1, got ${times}`);
    }
    if (this.stopping) return;
    const schedule = new CutSchedule(afterMs, times, {
      cutNow: () => this.cutWebSockets(cutOptions),
      onNextWebSocket: (callback) => this.onNextWebSocket(callback),
      done: () => this.schedules.delete(schedule),
    });
    this.schedules.add(schedule);
    schedule.start();
  }

  /**
   * refuse(true) stops listening, so new connections get ECONNREFUSED; open ones stay unless
   * `dropExisting`. refuse(false) listens again on the same port.
   */
  async refuse(on: boolean, options: RefuseOptions = {}): Promise<void> {
    if (this.stopping) throw new Error('FaultProxy is stopped');
    if (!on) {
      if (!this.listener) await this.listen();
      return;
    }
    // Closing the listening socket refuses new connections at once; close() itself would also
    // wait for every accepted connection to end, which is not what refusing means.
    this.listener?.close();
    this.listener = undefined;
    if (options.dropExisting) await this.dropAll('dropped');
  }

  /** Delays every chunk in both directions (order kept) and/or throttles; replaces earlier settings. */
  slow(options: SlowOptions): void {
    this.pacing.set(options);
    this.repaceAll();
  }

  /** Removes the slow-down (held data goes out now) and scheduled cuts; refuse() stays as it is. */
  pass(): void {
    this.pacing.reset();
    this.repaceAll();
    this.cancelSchedules();
  }

  connections(): ConnectionInfo[] {
    return [...this.open.values()].map((connection) => connection.info());
  }

  on<K extends keyof FaultProxyEvents>(event: K, listener: Listener<FaultProxyEvents[K]>): this {
    this.events.on(event, listener);
    return this;
  }

  once<K extends keyof FaultProxyEvents>(event: K, listener: Listener<FaultProxyEvents[K]>): this {
    this.events.once(event, listener);
    return this;
  }

  off<K extends keyof FaultProxyEvents>(event: K, listener: Listener<FaultProxyEvents[K]>): this {
    this.events.off(event, listener);
    return this;
  }

  /** Resolves with the next `event` payload matching `predicate`; subscribe before triggering it. */
  nextEvent<K extends keyof FaultProxyEvents>(
    event: K,
    predicate?: (payload: FaultProxyEvents[K]) => boolean,
    timeoutMs?: number,
  ): Promise<FaultProxyEvents[K]> {
    return this.events.next(event, predicate, timeoutMs);
  }

  /** Closes the listener and every connection, clears all timers; pending nextEvent() calls reject. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.cancelSchedules();
    const listener = this.listener;
    this.listener = undefined;
    const listenerClosed = new Promise<void>((resolve) => {
      if (listener) listener.close(() => resolve());
      else resolve();
    });
    await this.dropAll('stopped');
    await listenerClosed;
    this.events.cancelWaits(new Error('FaultProxy stopped while waiting for an event'));
  }

  private async listen(): Promise<void> {
    // allowHalfOpen: a client's FIN is passed on as a FIN, like a transparent proxy would.
    const server = createServer({ allowHalfOpen: true }, (client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (server.address() as AddressInfo).port;
    this.listener = server;
  }

  private accept(client: Socket): void {
    if (this.stopping) {
      client.destroy();
      return;
    }
    const connection = new ProxiedConnection(
      this.nextId++,
      client,
      this.target,
      this.pacing,
      this.observer,
    );
    this.open.set(connection.id, connection);
  }

  private onNextWebSocket(callback: () => void): () => void {
    const listener: Listener<FaultProxyEvents['connection']> = ({ kind }) => {
      if (kind !== 'websocket') return;
      this.events.off('connection', listener);
      callback();
    };
    this.events.on('connection', listener);
    return () => this.events.off('connection', listener);
  }

  private async dropAll(reason: 'dropped' | 'stopped'): Promise<void> {
    await Promise.all([...this.open.values()].map((connection) => connection.drop(reason)));
  }

  private repaceAll(): void {
    for (const connection of this.open.values()) connection.repace();
  }

  private cancelSchedules(): void {
    for (const schedule of this.schedules) schedule.cancel();
    this.schedules.clear();
  }
}
