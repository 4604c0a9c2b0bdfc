/** IPC between the event-stream benchmark and its child process of listeners. */
export interface ListenersArgs {
  url: string;
  fast: number;
  stalled: number;
}

export type ListenersMessage =
  | { type: 'ready'; connected: number; failed: number }
  | { type: 'clock'; sent: number; child: number }
  | {
      type: 'results';
      /** Per fast listener: events received (snapshot excluded). */
      received: number[];
      /** Every fast delivery: latency in ms (base64 Float64Array) and event seq (base64 Uint32Array). */
      latencies: string;
      seqs: string;
      /** How the stalled listeners' sockets ended, as seen from the (paused) client. */
      stalledClosed: number;
      fastClosed: number;
    };

/** 'stall': the stalled listeners stop reading now (the run starts). */
export type ListenersCommand =
  { type: 'report' } | { type: 'clock'; sent: number } | { type: 'stall' };

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}
