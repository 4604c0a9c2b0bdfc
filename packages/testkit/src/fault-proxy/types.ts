/** What a connection turned out to be, decided from the client's first request head. */
export type ConnectionKind = 'http' | 'websocket' | 'unknown';

/** How a cut closes a socket: 'reset' sends a TCP RST, 'end' a FIN. */
export type CutMode = 'reset' | 'end';

export interface FaultProxyOptions {
  /** The real server (e.g. ComfyUI or its simulator); HTTP and WebSocket share this port. */
  target: { host: string; port: number };
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on; defaults to 127.0.0.1. */
  host?: string;
}

export interface CutOptions {
  /**
   * How long the server side stays open after the client side is cut, silently: nothing is
   * forwarded either way. 0 (default) closes both sides at once.
   */
  halfOpenMs?: number;
  /** How the sockets are closed; defaults to 'reset'. */
  mode?: CutMode;
}

export interface ScheduledCutOptions extends CutOptions {
  /** How many cuts to make (default 1), each `afterMs` after the previous one. */
  times?: number;
}

export interface SlowOptions {
  /** Every chunk, in both directions, is held back this long; 0 or omitted turns it off. */
  delayMs?: number;
  /** Caps each direction of each connection at this rate; 0 or omitted turns it off. */
  bytesPerSecond?: number;
}

export interface RefuseOptions {
  /** Also destroy the connections that are already open. */
  dropExisting?: boolean;
}

export interface ConnectionInfo {
  id: number;
  kind: ConnectionKind;
  /** Date.now() when the client connected. */
  openedAt: number;
  /** The client side was cut while the server side is still held open. */
  halfOpen: boolean;
}

/** Why the proxy's socket to the server closed. */
export type UpstreamCloseReason =
  /** The server closed it, or it failed on its own. */
  | 'server'
  /** The client closed abruptly and the proxy passed that on. */
  | 'client'
  /** A cut without a half-open period. */
  | 'cut'
  /** A cut's half-open period ran out. */
  | 'half-open-ended'
  /** refuse(true, { dropExisting: true }). */
  | 'dropped'
  /** stop(). */
  | 'stopped'
  /** The server could not be reached at all. */
  | 'unreachable';

export interface FaultProxyEvents {
  /** The connection's kind became known (its request head is complete). */
  connection: { id: number; kind: ConnectionKind };
  cut: { id: number; halfOpenMs: number };
  /**
   * The server side is closed: emitted when the proxy closes it (before the server can notice),
   * or when the server closed it.
   */
  'upstream-close': { id: number; kind: ConnectionKind; reason: UpstreamCloseReason };
  'client-close': { id: number; kind: ConnectionKind };
}
