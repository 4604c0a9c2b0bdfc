import type {
  BroadcastSink,
  DropReason,
  GenerationFailure,
  GenerationRecord,
  Progress,
  QueuePosition,
  RelayEvent,
} from '@comfyrelay/core';
import type { RunRenderer } from '../render/RunRenderer.js';
import type { RunEvent, RunFailure, SubmittedDetails } from './RunEvent.js';

/** Marks the generations of this run: the relay's `submitted` event carries it back with the generation id. */
export function runOrigin(index: number, command = 'run'): Record<string, unknown> {
  return { cli: command, index };
}

/** What the submitted line of generation `index` says besides its ids. */
export type DetailsOf = (index: number, record: GenerationRecord) => SubmittedDetails;

interface GenerationRef {
  id: string;
  promptId: string;
}

/**
 * Turns the relay's events into {@link RunEvent}s for a renderer. Its `sink` is subscribed to
 * the relay's broadcaster, so a slow stdout only ever delays this subscriber, never the relay.
 */
export class RunReporter {
  private readonly indexById = new Map<string, number>();
  private readonly submitted = new Set<number>();
  private readonly queued = new Set<string>();
  /** The position each generation's last `queued` line showed. */
  private readonly positionShown = new Map<string, number>();
  private readonly finished = new Set<string>();

  readonly sink: BroadcastSink<RelayEvent> = {
    send: (event) => this.onRelayEvent(event),
    close: (reason) => {
      if (reason.code !== 'broadcaster-closed' && reason.code !== 'unsubscribed')
        this.onDropped(reason);
    },
  };

  constructor(
    private readonly renderer: RunRenderer,
    /** The seeds (and, for `generate`, workflow and action) of generation `index`. */
    private readonly detailsOf: DetailsOf,
    private readonly onDropped: (reason: DropReason) => void = () => {},
  ) {}

  /** Whether the relay created generation `index` (then its failure, if any, was already reported). */
  wasSubmitted(index: number): boolean {
    return this.submitted.has(index);
  }

  onRelayEvent(event: RelayEvent): void | Promise<void> {
    if (event.type === 'backend') return;
    if (event.type === 'positions') return this.onPositions(event.positions);
    if (event.type === 'submitted') {
      const index = event.record.origin?.['index'];
      if (typeof index !== 'number') return;
      this.indexById.set(event.id, index);
      this.submitted.add(index);
      return this.renderer.render({
        type: 'submitted',
        id: event.id,
        promptId: event.promptId,
        index,
        ...this.detailsOf(index, event.record),
      });
    }
    const index = this.indexById.get(event.id);
    if (index === undefined || this.finished.has(event.id)) return;
    const base = { id: event.id, promptId: event.promptId, index };
    switch (event.type) {
      case 'queued':
        return this.renderQueued(event.id, index, event);
      case 'started': {
        // A prompt that runs at once is never seen pending; every generation still gets its queued line.
        const queuedLine = this.queued.has(event.id)
          ? undefined
          : this.renderer.render({ type: 'queued', ...base, position: 0, ahead: 0 });
        this.queued.add(event.id);
        return settleBoth(queuedLine, this.renderer.render({ type: 'started', ...base }));
      }
      case 'progress':
        return this.renderer.render(progressEvent(base, event.progress));
      case 'succeeded':
        return this.renderer.render({ type: 'downloading', ...base });
      case 'failed':
        this.finished.add(event.id);
        return this.renderer.render({ type: 'failed', ...base, error: failureOf(event.error) });
      case 'cancelled':
        this.finished.add(event.id);
        return this.renderer.render({ type: 'cancelled', ...base });
    }
  }

  /** The outputs are saved: the generation's last line. */
  async succeeded(generation: GenerationRef, index: number, paths: string[]): Promise<void> {
    this.finished.add(generation.id);
    await this.renderer.render({
      type: 'succeeded',
      id: generation.id,
      promptId: generation.promptId,
      index,
      outputs: paths,
    });
  }

  /** A follow-up that never ran because the result it works on did not succeed. */
  async skipped(index: number, message: string): Promise<void> {
    await this.failed(undefined, index, { message, code: 'skipped' });
  }

  /** A failure the relay did not report itself (nothing submitted, or the outputs could not be saved). */
  async failed(
    generation: GenerationRef | undefined,
    index: number,
    error: RunFailure,
  ): Promise<void> {
    if (generation) this.finished.add(generation.id);
    await this.renderer.render({
      type: 'failed',
      id: generation?.id ?? null,
      promptId: generation?.promptId ?? null,
      index,
      error,
    });
  }

  /** One backend's queue moved: a `queued` line for each of ours whose place changed. */
  private onPositions(positions: Readonly<Record<string, QueuePosition>>): void | Promise<void> {
    const rendered: (void | Promise<void>)[] = [];
    for (const [id, slot] of Object.entries(positions)) {
      const index = this.indexById.get(id);
      if (index === undefined || this.finished.has(id)) continue;
      rendered.push(this.renderQueued(id, index, slot));
    }
    return settleAll(rendered);
  }

  private renderQueued(id: string, index: number, slot: QueuePosition): void | Promise<void> {
    if (this.positionShown.get(id) === slot.position) return;
    this.positionShown.set(id, slot.position);
    this.queued.add(id);
    return this.renderer.render({
      type: 'queued',
      id,
      promptId: slot.promptId,
      index,
      position: slot.position,
      ahead: slot.ahead,
    });
  }
}

function progressEvent(
  base: { id: string; promptId: string; index: number },
  progress: Progress,
): RunEvent {
  return {
    type: 'progress',
    ...base,
    // Rounding is monotonic, so the fraction still never goes down.
    fraction: Math.round(progress.fraction * 10_000) / 10_000,
    step: progress.step ?? null,
    stepTotal: progress.stepTotal ?? null,
    node: progress.node ?? null,
    nodeClass: progress.nodeClass ?? null,
    phase: progress.phase,
    etaMs: progress.etaMs ?? null,
  };
}

function failureOf(error: GenerationFailure): RunFailure {
  return {
    message: error.message,
    code: error.code,
    ...(error.node !== undefined ? { node: error.node } : {}),
    ...(error.nodeClass !== undefined ? { nodeClass: error.nodeClass } : {}),
  };
}

function settleAll(results: (void | Promise<void>)[]): void | Promise<void> {
  const pending = results.filter((result) => result !== undefined);
  if (pending.length === 0) return;
  return Promise.all(pending).then(() => undefined);
}

function settleBoth(
  first: void | Promise<void>,
  second: void | Promise<void>,
): void | Promise<void> {
  if (!first && !second) return;
  return Promise.all([first, second]).then(() => undefined);
}
