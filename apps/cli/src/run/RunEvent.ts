/**
 * What `comfyrelay run` reports about each generation: the relay's events, keyed by the
 * generation's number in this run, with saved file paths instead of server file refs.
 * `--json` prints these objects as they are, one per line.
 */
interface Base {
  id: string | null;
  promptId: string | null;
  /** 1-based number of the generation within this run. */
  index: number;
}

/**
 * What a `submitted` line says besides the ids. `run` gives only the seeds it chose (by
 * `NODE.INPUT`); `generate` names the workflow, and for a follow-up (`--action`) the action and
 * the number of the result it works on; its seeds are by parameter name.
 */
export interface SubmittedDetails {
  workflow?: string;
  action?: string;
  /** The `index` of the result a follow-up action runs on. */
  of?: number;
  seeds: Record<string, number>;
}

export type RunEvent =
  | ({ type: 'submitted' } & Base & SubmittedDetails)
  /** `position` is 1 for the next to run; 0 when it started without waiting. `ahead` counts the running prompt too. */
  | ({ type: 'queued'; position: number; ahead: number } & Base)
  | ({ type: 'started' } & Base)
  | ({
      type: 'progress';
      fraction: number;
      step: number | null;
      stepTotal: number | null;
      node: string | null;
      nodeClass: string | null;
      phase: string;
      etaMs: number | null;
    } & Base)
  /** ComfyUI is done; the files are being downloaded (not printed by --json). */
  | ({ type: 'downloading' } & Base)
  | ({ type: 'succeeded'; outputs: string[] } & Base)
  | ({ type: 'failed'; error: RunFailure } & Base)
  | ({ type: 'cancelled' } & Base);

export interface RunFailure {
  message: string;
  code?: string;
  node?: string;
  nodeClass?: string;
}

export type RunEventType = RunEvent['type'];

export function isTerminalRunEvent(event: RunEvent): boolean {
  return event.type === 'succeeded' || event.type === 'failed' || event.type === 'cancelled';
}
