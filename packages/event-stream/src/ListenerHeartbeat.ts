/** What the heartbeat needs of a listener. */
export interface HeartbeatPeer {
  ping(round: number): void;
  /** The round of the oldest ping not yet followed by a pong, if any. */
  readonly oldestUnansweredPing: number | undefined;
  evictUnresponsive(pongTimeoutMs: number): void;
}

/**
 * One timer for every listener, however many: each round pings them all and evicts those whose
 * oldest ping has gone unanswered for pongTimeoutMs. A send to a peer that stopped reading keeps
 * completing until megabytes of kernel buffers are full, so the send timeout alone would notice
 * it late; a ping it never reads catches it within pingIntervalMs + pongTimeoutMs.
 */
export class ListenerHeartbeat {
  readonly #peers: Iterable<HeartbeatPeer>;
  readonly #pingIntervalMs: number;
  readonly #pongTimeoutMs: number;
  /**
   * The deadline in rounds, not milliseconds: timers fire on a whole-millisecond clock, so a
   * deadline of exactly N intervals measured in ms could be missed by a fraction and cost a round.
   */
  readonly #roundsToAnswer: number;
  #round = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(peers: Iterable<HeartbeatPeer>, pingIntervalMs: number, pongTimeoutMs: number) {
    this.#peers = peers;
    this.#pingIntervalMs = pingIntervalMs;
    this.#pongTimeoutMs = pongTimeoutMs;
    this.#roundsToAnswer = Math.ceil(pongTimeoutMs / pingIntervalMs);
  }

  start(): void {
    this.#timer ??= setInterval(this.#beat, this.#pingIntervalMs).unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  readonly #beat = (): void => {
    const round = ++this.#round;
    const overdue: HeartbeatPeer[] = [];
    for (const peer of this.#peers) {
      const since = peer.oldestUnansweredPing;
      if (since !== undefined && round - since >= this.#roundsToAnswer) overdue.push(peer);
      else peer.ping(round);
    }
    if (overdue.length === 0) return;
    // Judged once this turn of the event loop has read the sockets: when the process was busy
    // and this timer ran late, pongs that arrived meanwhile are still waiting to be read.
    setImmediate(() => {
      if (this.#timer === undefined) return;
      for (const peer of overdue) {
        if (peer.oldestUnansweredPing !== undefined) peer.evictUnresponsive(this.#pongTimeoutMs);
      }
    });
  };
}
