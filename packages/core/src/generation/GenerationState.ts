import type { FileRef } from '../protocol/messages.js';
import type { ApiWorkflow } from '../protocol/graph.js';
import type { OutputKind, OutputSpec } from '../workflow/WorkflowDefinition.js';
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
  | 'validation'
  | 'execution'
  /** Stopped on the server by someone else (ComfyUI's Cancel, another client's interrupt). */
  | 'interrupted'
  | 'lost'
  | 'deadline'
  | 'unreachable'
  | 'no-outputs'
  | 'internal';

export interface GenerationFailure {
  code: FailureCode;
  /** A sentence for the user. */
  message: string;
  node?: string;
  nodeClass?: string;
}

/**
 * Who asked, and where to answer: set by the frontend that took the request. Core reads
 * `platform` + `userId` (the requester, for fair turns and limits) and `roles`; the rest is the
 * frontend's own, kept and handed back (after a restart too).
 */
export interface GenerationOrigin {
  /** 'discord', 'telegram', 'cli', 'console' … */
  platform?: string;
  userId?: string;
  displayName?: string;
  /** The chat, channel or group it was asked in. */
  chatId?: string;
  roles?: readonly string[];
  /** Opaque references the frontend reads back to answer (the message to edit …). */
  replyTo?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A plain, serialisable view of a generation: what stores keep and event streams send. */
export interface GenerationRecord {
  id: string;
  promptId: string;
  /** The backend that runs it; unset while it waits in comfyrelay's own queue. */
  backend?: string;
  workflow?: string;
  parameters?: Record<string, unknown>;
  /** Who asked and where to answer (see {@link GenerationOrigin}). */
  origin?: GenerationOrigin;
  /** The result this one follows up (reroll, upscale …) and the action that made it. */
  parentId?: string;
  action?: string;
  status: GenerationStatus;
  /** 1 for the next to run, while it waits. */
  position?: number;
  /** Prompts before it, the running ones included, while it waits. */
  ahead?: number;
  progress?: Omit<Progress, 'preview'>;
  outputs?: GenerationOutput[];
  error?: GenerationFailure;
  createdAt: number;
  /** When ComfyUI accepted its prompt. */
  submittedAt?: number;
  startedAt?: number;
  finishedAt?: number;
}

/**
 * What a durable store keeps of a generation: its record, and what a restart needs to take it
 * up again (the graph to post or follow, the outputs its workflow declares).
 */
export interface StoredGeneration extends GenerationRecord {
  graph?: ApiWorkflow;
  outputSpecs?: OutputSpec[];
  /** Its deadline, counted from `createdAt` (0: none). */
  deadlineMs?: number;
  /** Posted again once already, after a restarted ComfyUI lost it. */
  resubmitted?: boolean;
  /**
   * Started over once already, from the beginning on any server, after the server running it
   * stayed unreachable (`RelayConfig.retryRunningOnUnreachable`): it is never started over twice.
   */
  retried?: boolean;
  /** Pictures it was given (base64), kept while it waits in comfyrelay's own queue. */
  pictures?: Record<string, { filename: string; data: string }>;
}

/** A stored record as frontends see it: without what only a restart needs. */
export function recordOf(stored: StoredGeneration): GenerationRecord {
  const {
    graph: _graph,
    outputSpecs: _outputSpecs,
    deadlineMs: _deadlineMs,
    resubmitted: _resubmitted,
    retried: _retried,
    pictures: _pictures,
    ...record
  } = stored;
  return record;
}
