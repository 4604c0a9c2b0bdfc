import type {
  GenerationFailure,
  GenerationHandle,
  GenerationOutput,
  GenerationRecord,
  Progress,
  RelayEvent,
} from '@comfyrelay/core';
import { randomUUID } from 'node:crypto';
import type { RelayFeed } from '../../src/index.js';

type Sink = Parameters<RelayFeed['subscribe']>[0];

/** A relay whose generations a test drives event by event. */
export class ScriptedRelay implements RelayFeed {
  private readonly sinks = new Map<string, Set<Sink>>();

  subscribe(sink: Sink, options: { generation: string }) {
    const sinks = this.sinks.get(options.generation) ?? new Set<Sink>();
    this.sinks.set(options.generation, sinks);
    sinks.add(sink);
    return { unsubscribe: () => void sinks.delete(sink) };
  }

  /** Subscribers of one generation now. */
  subscribers(id: string): number {
    return this.sinks.get(id)?.size ?? 0;
  }

  job(parameters: Record<string, unknown> = { prompt: 'a red fox', seed: 7 }): ScriptedJob {
    return new ScriptedJob(parameters, (event) => {
      // Like the broadcaster: a sink's answer is never awaited.
      for (const sink of this.sinks.get(event.id) ?? []) {
        const answer: unknown = sink.send(event);
        if (answer !== undefined) throw new Error('a sink answered with something to wait for');
      }
    });
  }
}

type Lifecycle = Extract<RelayEvent, { id: string }>;

export class ScriptedJob {
  readonly handle: GenerationHandle;
  private current: GenerationRecord;
  private settle!: (record: GenerationRecord) => void;

  constructor(
    parameters: Record<string, unknown>,
    private readonly publish: (event: Lifecycle) => void,
  ) {
    const id = randomUUID();
    this.current = {
      id,
      promptId: randomUUID(),
      backend: 'sim',
      workflow: 'image.txt2img',
      parameters,
      status: 'submitted',
      createdAt: Date.now(),
    };
    const done = new Promise<GenerationRecord>((resolve) => (this.settle = resolve));
    this.handle = {
      id,
      promptId: this.current.promptId,
      workflow: 'image.txt2img',
      record: () => this.current,
      done,
      cancel: async () => true,
    };
  }

  get id(): string {
    return this.handle.id;
  }

  queued(ahead: number): this {
    this.current = { ...this.current, status: 'queued', ahead, position: ahead };
    return this.emit({ type: 'queued', position: ahead, ahead });
  }

  started(): this {
    this.current = { ...this.current, status: 'running', startedAt: Date.now() };
    return this.emit({ type: 'started' });
  }

  progress(fraction: number, extra: Partial<Progress> = {}): this {
    return this.emit({ type: 'progress', progress: { fraction, phase: 'sampling', ...extra } });
  }

  succeed(outputs: GenerationOutput[] = []): this {
    this.current = { ...this.current, status: 'succeeded', outputs, finishedAt: Date.now() };
    this.emit({ type: 'succeeded', outputs });
    this.settle(this.current);
    return this;
  }

  fail(error: GenerationFailure): this {
    this.current = { ...this.current, status: 'failed', error, finishedAt: Date.now() };
    this.emit({ type: 'failed', error });
    this.settle(this.current);
    return this;
  }

  cancel(): this {
    this.current = { ...this.current, status: 'cancelled', finishedAt: Date.now() };
    this.emit({ type: 'cancelled' });
    this.settle(this.current);
    return this;
  }

  private emit(event: Record<string, unknown> & { type: Lifecycle['type'] }): this {
    this.publish({ ...event, id: this.id, promptId: this.current.promptId } as Lifecycle);
    return this;
  }
}
