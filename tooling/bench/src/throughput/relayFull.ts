import { randomUUID } from 'node:crypto';
import { ComfyRelay, silentLogger, type Generation } from '@comfyrelay/core';
import { messagesPerPrompt, deliveredPerPrompt, txt2imgGraph } from '../workload.js';
import { requestDelta, sleep, StreamCounter, withTimeout } from './measure.js';
import type { Variant } from './types.js';
import { startProfile, stopProfile } from '../profile.js';

/**
 * comfyrelay as an application uses it: ComfyRelay.submit() for each prompt (POST /prompt with
 * a client-chosen prompt_id), queue refreshes on `status`, outputs from GET /history/{id} on
 * success, every event published through the Broadcaster to one subscriber.
 */
export const relayFull: Variant = async (server, { prompts, withStatus, timeoutMs }) => {
  const clientId = `relay-${randomUUID()}`;
  const counter = new StreamCounter(prompts * deliveredPerPrompt(withStatus));
  const relay = new ComfyRelay(
    {
      backends: [{ id: 'fake', url: server.url }],
      clientId,
      // The fake sends no `status` on enqueue, so the deaf-socket check would misfire; ping off.
      connection: { deafAfterMs: 600_000, pingIntervalMs: 0 },
      historyRetryDelayMs: 50,
      logLevel: 'silent',
    },
    silentLogger,
  );
  let progressEvents = 0;
  let settled = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  relay.events.subscribe({
    send: (event) => {
      if (event.type === 'progress') progressEvents++;
    },
  });
  try {
    await relay.start();
    await relay.ready(5_000);
    const backend = relay.pool.backends[0];
    if (!backend) throw new Error('no backend');
    backend.connection.on('message', () => counter.count());

    const generations: Generation[] = [];
    for (let index = 0; index < prompts; index += 100) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(100, prompts - index) }, (_, offset) =>
          relay.submit(txt2imgGraph(index + offset)),
        ),
      );
      generations.push(...batch);
    }
    await server.waitQueued(prompts);
    // Let the queue refreshes the submissions asked for finish before the stream starts.
    for (let waited = 0; backend.queue.length < prompts && waited < 5_000; waited += 20)
      await sleep(20);
    await sleep(50);

    const settledAll = Promise.all(
      generations.map((generation) =>
        generation.done.then((record) => {
          if (record.status === 'succeeded') settled++;
          else {
            failed++;
            firstFailure ??= record.error?.message ?? record.status;
          }
        }),
      ),
    );
    const before = await server.stats();
    await startProfile();
    counter.start();
    void server.go();
    const outcome = await withTimeout(
      Promise.all([counter.done, settledAll]).then(() => undefined),
      timeoutMs,
    );
    await stopProfile(`relayFull-${withStatus ? 'status' : 'nostatus'}`);
    const settleMs = outcome === 'timeout' ? undefined : counter.since();
    const after = await server.stats();
    const errors: string[] = [];
    if (outcome === 'timeout') errors.push(`timed out after ${timeoutMs} ms`);
    if (firstFailure) errors.push(`${failed} failed, first: ${firstFailure}`);
    return {
      messages: prompts * messagesPerPrompt(withStatus),
      received: counter.received,
      ingestMs: counter.ingestMs,
      settleMs,
      settled,
      failed,
      progressEvents,
      requests: requestDelta(before, after),
      timedOut: outcome === 'timeout',
      ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
    };
  } finally {
    await relay.stop();
  }
};
