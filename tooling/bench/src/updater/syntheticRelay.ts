import type { RelayFeed } from '@comfyrelay/chat';
import type { GenerationHandle, GenerationRecord, RelayEvent } from '@comfyrelay/core';

type Sink = Parameters<RelayFeed['subscribe']>[0];

/**
 * What the updater sees of a relay, without one: per-generation subscriptions, and events
 * handed to them synchronously as the relay's broadcaster does (a sink is never awaited).
 */
export class SyntheticRelay implements RelayFeed {
  private readonly sinks = new Map<string, Sink>();

  subscribe(sink: Sink, options: { generation: string }) {
    this.sinks.set(options.generation, sink);
    return { unsubscribe: () => void this.sinks.delete(options.generation) };
  }

  publish(event: Extract<RelayEvent, { id: string }>): void {
    this.sinks.get(event.id)?.send(event);
  }
}

/** A running generation the bench drives step by step, then ends. */
export class SyntheticJob {
  readonly handle: GenerationHandle;
  private record: GenerationRecord;
  private settle!: (record: GenerationRecord) => void;

  constructor(
    readonly index: number,
    private readonly relay: SyntheticRelay,
    startedAt: number,
  ) {
    const id = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
    this.record = {
      id,
      promptId: `prompt-${index}`,
      backend: 'gpu',
      workflow: 'image.txt2img',
      parameters: { prompt: `a lighthouse at dusk, job ${index}`, seed: index, steps: 30 },
      status: 'running',
      createdAt: startedAt,
      startedAt,
    };
    const done = new Promise<GenerationRecord>((resolve) => (this.settle = resolve));
    this.handle = {
      id,
      promptId: this.record.promptId,
      workflow: this.record.workflow,
      record: () => this.record,
      done,
      cancel: async () => false,
    };
  }

  /** One progress event, as a sampler step of a long generation reports it. */
  progress(step: number, stepTotal: number): void {
    this.relay.publish({
      type: 'progress',
      id: this.handle.id,
      promptId: this.record.promptId,
      progress: {
        fraction: step / (stepTotal + 1),
        phase: `sampling ${step % 30}/30`,
        step: step % 30,
        stepTotal: 30,
        node: '3',
        nodeClass: 'KSampler',
        etaMs: (stepTotal - step) * 20,
      },
    });
  }

  succeed(now: number): void {
    this.record = { ...this.record, status: 'succeeded', outputs: [], finishedAt: now };
    this.relay.publish({
      type: 'succeeded',
      id: this.handle.id,
      promptId: this.record.promptId,
      outputs: [],
    });
    this.settle(this.record);
  }
}
