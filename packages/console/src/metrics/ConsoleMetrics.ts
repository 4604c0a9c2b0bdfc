import type { ComfyRelay, GenerationRecord } from '@comfyrelay/core';
import type { PlatformMetrics } from '@comfyrelay/platform';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What a generation is counted under: its workflow and the frontend that asked for it. */
export interface GenerationLabels {
  workflow: string;
  frontend: string;
}

const WAIT_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800];
const STORE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
/** Every reason core drops a subscriber for, so each series exists from the first scrape. */
const SUBSCRIBER_DROP_REASONS = ['send-timeout', 'queue-overflow', 'send-failed'] as const;
/** A sync store's save takes microseconds: finer buckets at the bottom than the reads'. */
const STORE_OPERATION_BUCKETS = [0.00005, 0.0001, 0.00025, ...STORE_BUCKETS];

export function labelsOf(record: Pick<GenerationRecord, 'workflow' | 'origin'>): GenerationLabels {
  return { workflow: record.workflow ?? 'raw', frontend: record.origin?.platform ?? 'unknown' };
}

/**
 * The console's Prometheus metrics, in a registry of its own. Counters and histograms are fed
 * by the relay's events as they happen; gauges, and counters kept elsewhere (the relay's
 * subscriber drops, the platform's 429s), are read at each scrape. With the platform's
 * metrics, the store's latency is observed as each operation ends, until `close()`.
 */
export class ConsoleMetrics {
  readonly registry = new Registry();
  readonly generations: Counter<'state' | 'workflow' | 'frontend'>;
  readonly generationSeconds: Histogram<'state' | 'workflow' | 'frontend'>;
  readonly queueWaitSeconds: Histogram<'workflow' | 'frontend'>;
  readonly samplingSteps: Counter<'workflow' | 'backend'>;
  readonly backendReconnects: Counter<'backend'>;
  readonly backendErrors: Counter<'backend'>;
  readonly eventStreamDrops: Counter<'reason'>;
  readonly storeReadSeconds: Histogram<'operation'>;
  readonly storeSeconds: Histogram<'operation'>;
  readonly #stopObservingStore: () => void;

  constructor(relay: ComfyRelay, liveListeners: () => number, platform?: PlatformMetrics) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.generations = new Counter({
      name: 'comfyrelay_generations_total',
      help: 'Generations that reached a state (submitted, resumed, started, succeeded, failed, cancelled), by workflow and frontend (origin.platform)',
      labelNames: ['state', 'workflow', 'frontend'],
      registers,
    });
    this.generationSeconds = new Histogram({
      name: 'comfyrelay_generation_duration_seconds',
      help: 'From submission to the end (queue time included), by final state',
      labelNames: ['state', 'workflow', 'frontend'],
      buckets: WAIT_BUCKETS,
      registers,
    });
    this.queueWaitSeconds = new Histogram({
      name: 'comfyrelay_queue_wait_seconds',
      help: 'Time in queue: from submission until it started running',
      labelNames: ['workflow', 'frontend'],
      buckets: WAIT_BUCKETS,
      registers,
    });
    this.samplingSteps = new Counter({
      name: 'comfyrelay_sampling_steps_total',
      help: 'Sampler steps completed (rate() gives the step rate)',
      labelNames: ['workflow', 'backend'],
      registers,
    });
    this.backendReconnects = new Counter({
      name: 'comfyrelay_backend_reconnects_total',
      help: 'Times a ComfyUI socket opened again after having been open',
      labelNames: ['backend'],
      registers,
    });
    this.backendErrors = new Counter({
      name: 'comfyrelay_backend_errors_total',
      help: 'Connection state changes of a ComfyUI socket that came with a reason (errors, closes)',
      labelNames: ['backend'],
      registers,
    });
    this.eventStreamDrops = new Counter({
      name: 'comfyrelay_event_stream_drops_total',
      help: "Listeners of the console's event stream that left, by reason (send-timeout, pong-timeout, queue-overflow … are drops of slow listeners)",
      labelNames: ['reason'],
      registers,
    });
    this.storeReadSeconds = new Histogram({
      name: 'comfyrelay_store_read_seconds',
      help: "Latency of the generation store's reads the console makes (history pages, readiness probes)",
      labelNames: ['operation'],
      buckets: STORE_BUCKETS,
      registers,
    });
    this.storeSeconds = new Histogram({
      name: 'comfyrelay_store_seconds',
      help: "Latency of every generation store operation the platform's relay and apps make (save, saveMany: a batch of transitions in one write, get, list, unfinished, prune, delete)",
      labelNames: ['operation'],
      buckets: STORE_OPERATION_BUCKETS,
      registers,
    });
    const { storeSeconds } = this;
    this.#stopObservingStore =
      platform?.observeStore((operation, seconds) =>
        storeSeconds.observe({ operation }, seconds),
      ) ?? (() => undefined);
    new Counter({
      name: 'comfyrelay_subscriber_drops_total',
      help: "Subscribers of the relay's broadcaster dropped for falling behind or failing (send-timeout, queue-overflow, send-failed): every frontend's, the console's own included",
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        const drops = relay.subscriberDrops();
        for (const reason of SUBSCRIBER_DROP_REASONS) this.inc({ reason }, drops[reason] ?? 0);
      },
    });
    if (platform)
      new Counter({
        name: 'comfyrelay_platform_rate_limited_total',
        help: 'Calls a chat platform answered 429 ("too many requests"), waited out by the chat outbox, by platform',
        labelNames: ['platform'],
        registers,
        collect() {
          this.reset();
          for (const [name, count] of platform.rateLimits()) this.inc({ platform: name }, count);
        },
      });
    new Gauge({
      name: 'comfyrelay_generations_in_flight',
      help: 'Generations not yet finished, by state, workflow and frontend',
      labelNames: ['state', 'workflow', 'frontend'],
      registers,
      collect() {
        this.reset();
        for (const record of relay.active())
          this.inc({ state: record.status, ...labelsOf(record) });
      },
    });
    new Gauge({
      name: 'comfyrelay_queue_depth',
      help: 'Generations waiting to run: in comfyrelay\'s own queue (queue="relay") or posted to a backend',
      labelNames: ['queue'],
      registers,
      collect() {
        this.reset();
        this.set({ queue: 'relay' }, 0);
        for (const backend of relay.backends()) this.set({ queue: backend.id }, 0);
        for (const record of relay.active())
          if (record.status === 'submitted' || record.status === 'queued')
            this.inc({ queue: record.backend ?? 'relay' });
      },
    });
    new Gauge({
      name: 'comfyrelay_queue_oldest_wait_seconds',
      help: 'How long the longest-waiting generation has been waiting (0 when none waits)',
      registers,
      collect() {
        const now = Date.now();
        const waiting = relay
          .active()
          .filter((record) => record.status === 'submitted' || record.status === 'queued');
        this.set(Math.max(0, ...waiting.map((record) => (now - record.createdAt) / 1000)));
      },
    });
    new Gauge({
      name: 'comfyrelay_backend_up',
      help: 'Whether the ComfyUI socket is open (1) or not (0)',
      labelNames: ['backend'],
      registers,
      collect() {
        for (const backend of relay.backends())
          this.set({ backend: backend.id }, backend.state === 'open' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'comfyrelay_backend_load',
      help: "Prompts on a backend's queue plus those being posted to it",
      labelNames: ['backend'],
      registers,
      collect() {
        for (const backend of relay.backends()) this.set({ backend: backend.id }, backend.load);
      },
    });
    new Gauge({
      name: 'comfyrelay_event_stream_listeners',
      help: "Listeners connected to the console's event stream",
      registers,
      collect() {
        this.set(liveListeners());
      },
    });
  }

  /** Stops observing the platform's store (the console stops; the platform goes on). */
  close(): void {
    this.#stopObservingStore();
  }

  /** Times a store read for `comfyrelay_store_read_seconds`. */
  async timeStoreRead<T>(operation: string, read: () => Promise<T>): Promise<T> {
    const end = this.storeReadSeconds.startTimer({ operation });
    try {
      return await read();
    } finally {
      end();
    }
  }
}
