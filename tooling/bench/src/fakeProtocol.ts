export type WriteMode = 'bulk' | 'per-message';

export interface FakeSettings {
  /** Send `status {queue_remaining}` after each prompt's execution_success, as ComfyUI does. */
  withStatus: boolean;
  /**
   * `bulk`: a prompt's frames leave in one socket write (the server costs next to nothing: the
   * client is measured). `per-message`: one write per frame, as ComfyUI's send_json does.
   */
  writes: WriteMode;
  /** Every prompt fails at step 4 (execution_error) instead of succeeding. */
  failing?: boolean;
  /** Answer each POST /prompt with `status` on the poster's socket, as ComfyUI does. */
  statusOnEnqueue?: boolean;
}

/** The IPC between a benchmark and its fake ComfyUI child process. */
export type FakeCommand =
  | ({ cmd: 'configure' } & FakeSettings)
  /** Queue prompts without HTTP, as if `clientId` had posted them (for clients that don't post). */
  | { cmd: 'enqueue'; clientId: string; ids: string[] }
  /**
   * Put prompts on the server as `clientId` left them before a restart of its own: waiting,
   * running (halfway: the next `go` finishes them) or finished (in history). Without HTTP.
   */
  | { cmd: 'arrange'; clientId: string; pending: string[]; running: string[]; done: string[] }
  /** Answers once at least `count` prompts are queued. */
  | { cmd: 'waitQueued'; count: number; timeoutMs: number }
  /**
   * Stream every queued prompt's messages to its client's socket, as fast as the socket takes
   * them; `halfway` stops each prompt after 4 of its 8 steps (the next `go` finishes them).
   */
  | { cmd: 'go'; halfway?: boolean }
  /** Finish every unfinished prompt without a word (history keeps them) and cut every socket. */
  | { cmd: 'vanish' }
  | { cmd: 'reset' }
  | { cmd: 'stats' };

export interface StreamReport {
  prompts: number;
  bytes: number;
  /** Time the server spent writing, first byte to last. */
  ms: number;
  /** Prompts whose client had no open socket (their messages went nowhere, as on ComfyUI). */
  orphaned: number;
}

export interface ServerStats {
  /** HTTP requests by route, e.g. `GET /queue`. */
  requests: Record<string, number>;
  queued: number;
  sockets: number;
}

export type FakeReply =
  { seq: number; ok: true; result?: unknown } | { seq: number; ok: false; error: string };

export type FakeReady = { ready: true; port: number };
