import { randomUUID } from 'node:crypto';
import type { ComfyRelay, GenerationHandle } from '@comfyrelay/core';
import { startProfile, stopProfile } from '../profile.js';
import { startBenchRelay } from '../relay/benchRelay.js';
import { BenchStore, type StoreKind } from '../relay/benchStore.js';
import { submitMany } from '../relay/submit.js';
import { deliveredPerPrompt, messagesPerPrompt } from '../workload.js';
import { requestDelta, sleep, StreamCounter, withTimeout } from './measure.js';
import type { Variant } from './types.js';

/** How a frontend takes the relay's events in one variant. */
export interface EventConsumer {
  /** Once the relay is up, before anything is submitted. */
  attach(relay: ComfyRelay): void;
  /** Each generation, as soon as comfyrelay queued it. */
  queued(relay: ComfyRelay, handle: GenerationHandle): void;
  readonly progressEvents: number;
  readonly eventsConsumed: number;
  /** Events queued for the sinks, not yet handed over. */
  readonly undelivered: number;
}

/**
 * comfyrelay as a frontend drives it: a relay from its DI container, 1,000 graphs submitted
 * through it (`submitGraph`) and posted to ComfyUI, queue refreshes on `status`, outputs from history on success, and every
 * event taken by `consumer`. The stream is counted on the backend's own socket (resolved through
 * DI), after the relay's handler. With `store`, the relay keeps its records in a fresh
 * {@link BenchStore} of that kind (closed after the stream) instead of core's default.
 */
export function relayVariant(
  name: string,
  makeConsumer: () => EventConsumer,
  options: { store?: StoreKind } = {},
): Variant {
  return async (server, { prompts, withStatus, timeoutMs }) => {
    const consumer = makeConsumer();
    const store = options.store === undefined ? undefined : BenchStore.open(options.store);
    const { relay, backend } = await startBenchRelay(server.url, `${name}-${randomUUID()}`, {
      ...(store ? { store } : {}),
    });
    try {
      consumer.attach(relay);
      const counter = new StreamCounter(prompts * deliveredPerPrompt(withStatus));
      backend.connection.on('message', () => counter.count());
      const handles = await submitMany(relay, prompts, {
        queued: (handle) => consumer.queued(relay, handle),
        posted: (count) => server.waitQueued(count),
      });
      // Let the queue refreshes the submissions asked for finish before the stream starts.
      for (let waited = 0; backend.queue.length < prompts && waited < 5_000; waited += 20)
        await sleep(20);
      await sleep(50);

      let settled = 0;
      let failed = 0;
      let firstFailure: string | undefined;
      const settledAll = Promise.all(
        handles.map((handle) =>
          handle.done.then((record) => {
            if (record.status === 'succeeded') settled++;
            else {
              failed++;
              firstFailure ??= record.error?.message ?? record.status;
            }
          }),
        ),
      );
      let undelivered = 0;
      void counter.done.then(() => (undelivered = consumer.undelivered));
      const consumedBefore = consumer.eventsConsumed;
      const progressBefore = consumer.progressEvents;
      const before = await server.stats();
      let writesInStream: number | undefined;
      let commitsInStream = 0;
      const writesBefore = store?.writes ?? 0;
      const commitsBefore = store?.calls ?? 0;
      void counter.done.then(() => {
        writesInStream = (store?.writes ?? 0) - writesBefore;
        commitsInStream = (store?.calls ?? 0) - commitsBefore;
      });
      await startProfile();
      counter.start();
      void server.go();
      const outcome = await withTimeout(Promise.all([counter.done, settledAll]), timeoutMs);
      await stopProfile(`${name}-${withStatus ? 'status' : 'nostatus'}`);
      const settleMs = outcome === 'timeout' ? undefined : counter.since();
      const after = await server.stats();
      const errors: string[] = [];
      if (outcome === 'timeout') errors.push(`timed out after ${timeoutMs} ms`);
      if (firstFailure) errors.push(`${failed} failed, first: ${firstFailure}`);
      if (undelivered > 0) errors.push(`${undelivered} events still queued when ingest ended`);
      return {
        messages: prompts * messagesPerPrompt(withStatus),
        received: counter.received,
        ingestMs: counter.ingestMs,
        readerCpuMs: counter.readerCpuMs,
        settleMs,
        settled,
        failed,
        progressEvents: consumer.progressEvents - progressBefore,
        eventsConsumed: consumer.eventsConsumed - consumedBefore,
        requests: requestDelta(before, after),
        ...(store && writesInStream !== undefined
          ? {
              storeWrites: writesInStream,
              storeCommits: commitsInStream,
              storeWritesTotal: store.writes,
            }
          : {}),
        timedOut: outcome === 'timeout',
        ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
      };
    } finally {
      await relay.stop();
      await store?.close();
    }
  };
}
