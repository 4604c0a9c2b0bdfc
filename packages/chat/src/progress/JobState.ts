import type {
  GenerationFailure,
  GenerationOutput,
  GenerationRecord,
  GenerationStatus,
  Progress,
  RelayEvent,
} from '@comfyrelay/core';

type Preview = NonNullable<Progress['preview']>;

/** What chat knows of one generation: the last of each thing its events said. */
export interface JobState {
  id: string;
  workflow?: string | undefined;
  parameters?: Readonly<Record<string, unknown>> | undefined;
  status: GenerationStatus;
  /** While it waits: generations before it, the running ones included. */
  ahead?: number | undefined;
  position?: number | undefined;
  progress?: Omit<Progress, 'preview'> | undefined;
  /** The latest preview, kept while later progress comes without one. */
  preview?: Preview | undefined;
  outputs?: readonly GenerationOutput[] | undefined;
  error?: GenerationFailure | undefined;
  createdAt: number;
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
}

const TERMINAL: ReadonlySet<GenerationStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export function isFinished(state: JobState): boolean {
  return TERMINAL.has(state.status);
}

/** The state a generation's record describes (when following starts, or after a restart). */
export function jobStateOf(record: GenerationRecord): JobState {
  return {
    id: record.id,
    workflow: record.workflow,
    parameters: record.parameters,
    status: record.status,
    ahead: record.ahead,
    position: record.position,
    progress: record.progress,
    outputs: record.outputs,
    error: record.error,
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
  };
}

/**
 * The state after one relay event; the same object when the event changes nothing. A finished
 * state never changes again: a late event cannot take a result back to 99 %.
 */
export function applyRelayEvent(state: JobState, event: RelayEvent, now: number): JobState {
  if (isFinished(state) || !('id' in event) || event.id !== state.id) return state;
  switch (event.type) {
    case 'submitted':
      return state;
    case 'queued':
      if (state.status !== 'running')
        return { ...state, status: 'queued', ahead: event.ahead, position: event.position };
      // Once it runs, a place in a queue is news only when it started over (its server was
      // lost); any other is a view of the queue from before it started.
      if (event.startedOver !== true) return state;
      return {
        ...state,
        status: 'queued',
        ahead: event.ahead,
        position: event.position,
        progress: undefined,
        preview: undefined,
        startedAt: undefined,
      };
    case 'started':
      return { ...state, status: 'running', startedAt: state.startedAt ?? now };
    case 'progress': {
      const { preview, ...progress } = event.progress;
      return {
        ...state,
        status: 'running',
        startedAt: state.startedAt ?? now,
        progress,
        preview: preview ?? state.preview,
      };
    }
    case 'succeeded':
      return { ...state, status: 'succeeded', outputs: event.outputs, finishedAt: now };
    case 'failed':
      return { ...state, status: 'failed', error: event.error, finishedAt: now };
    case 'cancelled':
      return { ...state, status: 'cancelled', finishedAt: now };
    default:
      return state;
  }
}

/** The state a finished record describes, unless the state already finished. */
export function finishWith(state: JobState, record: GenerationRecord, now: number): JobState {
  if (isFinished(state) || !TERMINAL.has(record.status)) return state;
  return { ...jobStateOf(record), preview: state.preview, finishedAt: record.finishedAt ?? now };
}
