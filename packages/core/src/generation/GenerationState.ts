import type { FileRef } from '../protocol/messages.js';
import type { OutputKind } from '../workflow/WorkflowDefinition.js';
import type { Progress } from '../progress/Progress.js';

export type GenerationStatus =
  'submitted' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export const terminalStatuses: ReadonlySet<GenerationStatus> = new Set([
  'succeeded',
  'failed',
  'cancelled',
]);

/** A file a generation produced, with what a frontend needs to deliver it. */
export interface GenerationOutput {
  nodeId: string;
  kind: OutputKind;
  mime: string;
  file: FileRef;
  /** Backend it lives on; fetch it with `relay.readOutput(output)`. */
  backend: string;
}

export type FailureCode =
  'validation' | 'execution' | 'lost' | 'deadline' | 'unreachable' | 'no-outputs' | 'internal';

export interface GenerationFailure {
  code: FailureCode;
  /** A sentence for the user. */
  message: string;
  node?: string;
  nodeClass?: string;
}

/** A plain, serialisable view of a generation: what stores keep and event streams send. */
export interface GenerationRecord {
  id: string;
  promptId: string;
  backend: string;
  workflow?: string;
  parameters?: Record<string, unknown>;
  /** Who asked and where to answer: opaque to core, owned by the app. */
  origin?: Record<string, unknown>;
  status: GenerationStatus;
  position?: number;
  progress?: Omit<Progress, 'preview'>;
  outputs?: GenerationOutput[];
  error?: GenerationFailure;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
}
