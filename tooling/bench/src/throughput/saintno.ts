import { randomUUID } from 'node:crypto';
import { CallWrapper, ComfyApi, PromptBuilder, type NodeData } from '@saintno/comfyui-sdk';
import { messagesPerPrompt, txt2imgGraph } from '../workload.js';
import { requestDelta, sleep, StreamCounter, withTimeout } from './measure.js';
import type { Variant } from './types.js';
import { startProfile, stopProfile } from '../profile.js';

/**
 * @saintno/comfyui-sdk 0.3.1 as its README drives N prompts from one client: one ComfyApi, a
 * CallWrapper per prompt with onProgress / onFinished / onFailed, all run at once.
 */
export const saintno: Variant = async (server, { prompts, withStatus, timeoutMs }) => {
  const clientId = `saintno-${randomUUID()}`;
  const counter = new StreamCounter(prompts * messagesPerPrompt(withStatus));
  const api = new ComfyApi(server.url, clientId);
  let progressEvents = 0;
  let settled = 0;
  let failed = 0;
  let pending = 0;
  let firstFailure: string | undefined;
  try {
    const greeted = new Promise<void>((resolve) => {
      const off = api.on('all', () => {
        off();
        resolve();
      });
    });
    api.init(3, 200);
    const ready = await withTimeout(Promise.all([api.waitForReady(), greeted]), 5_000);
    if (ready === 'timeout') throw new Error('ComfyApi was not ready after 5 s');
    api.on('all', () => counter.count());

    const template = new PromptBuilder(txt2imgGraph(0) as unknown as NodeData, ['seed'], ['images'])
      .setInputNode('seed', '3.inputs.seed')
      .setOutputNode('images', '9');
    const runs: Promise<unknown>[] = [];
    let jobsDone = 0;
    let allDone!: () => void;
    const everyJobDone = new Promise<void>((resolve) => (allDone = resolve));
    const jobDone = () => {
      if (++jobsDone === prompts) allDone();
    };
    for (let index = 0; index < prompts; index++) {
      const wrapper = new CallWrapper(api, template.clone().input('seed', index))
        .onPending(() => void pending++)
        .onProgress(() => void progressEvents++)
        .onFinished(() => {
          settled++;
          jobDone();
        })
        .onFailed((error) => {
          failed++;
          firstFailure ??= describe(error);
          jobDone();
        });
      runs.push(wrapper.run());
    }
    await server.waitQueued(prompts);
    // Each wrapper attaches its listeners right after onPending: wait for all of them.
    for (let waited = 0; pending < prompts && waited < 10_000; waited += 10) await sleep(10);
    await sleep(50);

    const before = await server.stats();
    await startProfile();
    counter.start();
    void server.go();
    const outcome = await withTimeout(Promise.all([counter.done, everyJobDone]), timeoutMs);
    await stopProfile(`saintno-${withStatus ? 'status' : 'nostatus'}`);
    const settleMs = outcome === 'timeout' ? undefined : counter.since();
    const after = await server.stats();
    const errors: string[] = [];
    if (outcome === 'timeout') {
      errors.push(
        `timed out after ${timeoutMs} ms with ${counter.received}/${counter.expected} messages handled and ` +
          `${settled + failed}/${prompts} jobs settled`,
      );
    }
    if (firstFailure) errors.push(`${failed} failed, first: ${firstFailure}`);
    return {
      messages: counter.expected,
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
    api.destroy();
  }
};

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause === undefined
    ? `${error.name}: ${error.message}`
    : `${error.name}: ${error.message} (cause: ${JSON.stringify(cause)?.slice(0, 200)})`;
}
