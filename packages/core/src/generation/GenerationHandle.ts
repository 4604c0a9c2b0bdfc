import type { GenerationRecord } from './GenerationState.js';

/**
 * What a frontend holds of a generation it started: read-only. Its events come through
 * `relay.subscribe(sink, { generation: handle.id })`; its end through `done`.
 */
export interface GenerationHandle {
  readonly id: string;
  /** ComfyUI's prompt id. */
  readonly promptId: string;
  readonly workflow: string | undefined;
  /** The generation as it is now. */
  record(): GenerationRecord;
  /** Settles once it succeeded, failed or was cancelled (never rejects). */
  readonly done: Promise<GenerationRecord>;
  /** Delete it if queued, interrupt it if running; resolves true once cancelled. */
  cancel(): Promise<boolean>;
}
