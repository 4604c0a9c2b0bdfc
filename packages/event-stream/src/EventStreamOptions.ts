import type { EventStreamSource } from './EventStreamSource.js';
import type { ListenerDropReason } from './ListenerDropReason.js';

export interface EventStreamOptions<E> {
  /** Each listener subscribes here: a `Broadcaster`, or a relay's `subscribe()`. */
  source: EventStreamSource<E>;
  /** Sent first on connect as {"type":"snapshot","data":...}. */
  snapshot: () => unknown;
  /** Default JSON.stringify. */
  encode?: (event: E) => string;
  /** Default '/events'. */
  path?: string;
  /**
   * Default 500: every listener is pinged this often, by one timer for all of them. A reading
   * listener's WebSocket stack answers on its own; one that stopped reading never does.
   */
  pingIntervalMs?: number;
  /**
   * Default 3 × pingIntervalMs (1500): a listener whose oldest unanswered ping is this old is
   * terminated. So one that stops reading is gone within pingIntervalMs + pongTimeoutMs (2 s by
   * default; pongTimeoutMs rounds up to whole ping intervals), however much its kernel buffers
   * can still absorb; one that answers late but within the deadline stays.
   */
  pongTimeoutMs?: number;
  /** Passed to each listener's subscription: how long the source waits for one write to be taken. */
  sendTimeoutMs?: number;
  /** Passed to each listener's subscription. */
  queueLimit?: number;
  /** Called once for every listener that leaves, with why. */
  onDrop?: (listenerName: string, reason: ListenerDropReason) => void;
}

export const DEFAULT_EVENT_STREAM_PATH = '/events';
export const DEFAULT_PING_INTERVAL_MS = 500;
/** pongTimeoutMs, when not given, in ping intervals. */
export const PONG_TIMEOUT_IN_INTERVALS = 3;
export const DEFAULT_PONG_TIMEOUT_MS = PONG_TIMEOUT_IN_INTERVALS * DEFAULT_PING_INTERVAL_MS;
