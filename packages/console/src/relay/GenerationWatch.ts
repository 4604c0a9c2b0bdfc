import type { ComfyRelay, GenerationRecord, RelayEvent } from '@comfyrelay/core';
import { labelsOf, type ConsoleMetrics, type GenerationLabels } from '../metrics/ConsoleMetrics.js';

export interface Preview {
  mime: string;
  data: Buffer;
}

interface Followed {
  labels: GenerationLabels;
  createdAt: number;
  backend: string;
  node: string | undefined;
  step: number;
  stepTotal: number | undefined;
  preview: Preview | undefined;
}

/**
 * Follows every generation in flight from the relay's events: counts its transitions, its time
 * in queue and its sampler steps, and keeps its latest preview (forgotten when it ends) so a page
 * that connects mid-run can show one.
 */
export class GenerationWatch {
  readonly #relay: ComfyRelay;
  readonly #metrics: ConsoleMetrics;
  readonly #followed = new Map<string, Followed>();

  constructor(relay: ComfyRelay, metrics: ConsoleMetrics) {
    this.#relay = relay;
    this.#metrics = metrics;
    for (const record of relay.active()) this.#follow(record);
  }

  preview(id: string): Preview | undefined {
    return this.#followed.get(id)?.preview;
  }

  onEvent(event: RelayEvent): void {
    switch (event.type) {
      case 'submitted':
      case 'resumed':
        this.#metrics.generations.inc({ state: event.type, ...this.#follow(event.record).labels });
        return;
      case 'started': {
        const followed = this.#get(event.id);
        if (!followed) return;
        const record = this.#relay.handle(event.id)?.record();
        followed.backend = record?.backend ?? followed.backend;
        const startedAt = record?.startedAt ?? Date.now();
        this.#metrics.generations.inc({ state: 'started', ...followed.labels });
        this.#metrics.queueWaitSeconds.observe(
          followed.labels,
          Math.max(0, startedAt - followed.createdAt) / 1000,
        );
        return;
      }
      case 'progress': {
        const followed = this.#get(event.id);
        if (!followed) return;
        const { step, stepTotal, node, preview } = event.progress;
        if (preview) followed.preview = { mime: preview.mime, data: preview.data };
        // Progress events may skip steps (several in one socket read): count the steps between
        // two events, and a sampler the graph moved on from as finished.
        let done = 0;
        if (node !== followed.node) {
          done += this.#rest(followed);
          followed.node = node;
          followed.step = 0;
        }
        followed.stepTotal = stepTotal;
        if (step !== undefined && step > followed.step) {
          done += step - followed.step;
          followed.step = step;
        }
        this.#countSteps(followed, done);
        return;
      }
      case 'succeeded':
      case 'failed':
      case 'cancelled': {
        const followed = this.#get(event.id);
        this.#followed.delete(event.id);
        if (!followed) return;
        if (event.type === 'succeeded') this.#countSteps(followed, this.#rest(followed));
        this.#metrics.generations.inc({ state: event.type, ...followed.labels });
        this.#metrics.generationSeconds.observe(
          { state: event.type, ...followed.labels },
          Math.max(0, Date.now() - followed.createdAt) / 1000,
        );
        return;
      }
      default:
        return;
    }
  }

  #follow(record: GenerationRecord): Followed {
    const followed: Followed = {
      labels: labelsOf(record),
      createdAt: record.createdAt,
      backend: record.backend ?? 'unknown',
      node: record.progress?.node,
      step: record.progress?.step ?? 0,
      stepTotal: record.progress?.stepTotal,
      preview: undefined,
    };
    this.#followed.set(record.id, followed);
    return followed;
  }

  /** The steps of its current sampler not yet counted (all of them are done once it moved on). */
  #rest(followed: Followed): number {
    return followed.stepTotal === undefined ? 0 : Math.max(0, followed.stepTotal - followed.step);
  }

  #countSteps(followed: Followed, steps: number): void {
    if (steps <= 0) return;
    const labels = { workflow: followed.labels.workflow, backend: followed.backend };
    this.#metrics.samplingSteps.inc(labels, steps);
  }

  /** One the console did not see start (it was created meanwhile) is taken from the relay. */
  #get(id: string): Followed | undefined {
    const followed = this.#followed.get(id);
    if (followed) return followed;
    const record = this.#relay.handle(id)?.record();
    return record && this.#follow(record);
  }
}
