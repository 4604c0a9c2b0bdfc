import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { silentLogger, type Frontend, type Plugin } from '@comfyrelay/core';
import { submitGraph } from '@comfyrelay/core/protocol';
import { waitFor } from '@comfyrelay/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startPlatform, type App } from '../src/index.js';

const graph = (seed: number) => ({
  '1': { class_type: 'TestProgressNode', inputs: { seed, steps: 2, width: 16, height: 16 } },
  '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'platform' } },
});

describe('startPlatform', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('composes the relay, the plugins and each app; stops the apps first; a restart on the same data dir takes up what was unfinished', async () => {
    const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2 });
    const dataDir = await mkdtemp(join(tmpdir(), 'comfyrelay-platform-'));
    cleanup.push(
      () => rm(dataDir, { recursive: true, force: true }),
      () => sim.stop(),
    );
    const log: string[] = [];
    const app: App = {
      name: 'recorder',
      create: ({ relay }): Frontend => ({
        name: 'recorder',
        start: async () => void log.push(`start (${relay.workflows().length} workflows)`),
        stop: async () => void log.push('stop'),
      }),
    };
    const plugin: Plugin = {
      name: 'one',
      register: (host) =>
        host.registerWorkflow({
          id: 'one.progress',
          title: 'Progress',
          description: 'steps then save',
          template: graph(1),
          parameters: [],
          outputs: [{ node: '2', kind: 'image' }],
        }),
    };
    const options = {
      comfyUrls: [sim.url],
      dataDir,
      plugins: [plugin],
      apps: [app],
      logger: silentLogger,
      drainMs: 50, // the held job is left for the next start
    };
    const first = await startPlatform(options);
    expect(log).toEqual(['start (1 workflows)']);
    await first.relay.ready();
    sim.holdExecution();
    const job = await submitGraph(first.relay, graph(7));
    await first.stop();
    expect(log).toEqual(['start (1 workflows)', 'stop']);

    sim.releaseExecution();
    const second = await startPlatform(options);
    cleanup.push(() => second.stop());
    // The same client id: ComfyUI sends the taken-up prompt's messages to the new process.
    expect(second.relay.clientId).toBe(first.relay.clientId);
    const record = await second.relay.handle(job.id)!.done;
    expect(record.status).toBe('succeeded');
    expect((await second.relay.record(job.id))?.outputs).toHaveLength(1);
  });

  it('a stop lets the generation running on ComfyUI finish while the frontends still deliver it', async () => {
    const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2 });
    cleanup.push(() => sim.stop());
    const log: string[] = [];
    const app: App = {
      name: 'recorder',
      create: ({ relay }): Frontend => {
        const subscription = relay.subscribe({
          send: (event) => {
            if (event.type === 'succeeded') log.push('delivered');
          },
        });
        return {
          name: 'recorder',
          start: async () => undefined,
          stop: async () => {
            subscription.unsubscribe();
            log.push('stop');
          },
        };
      },
    };
    const platform = await startPlatform({
      comfyUrls: [sim.url],
      plugins: [],
      apps: [app],
      logger: silentLogger,
    });
    await platform.relay.ready();
    sim.holdExecution();
    const job = await submitGraph(platform.relay, graph(3));
    await waitFor(() => job.record().submittedAt !== undefined, { what: 'its POST' });
    const stopped = platform.stop();
    await expect(submitGraph(platform.relay, graph(4))).rejects.toThrow(/shutting down/);
    sim.releaseExecution();
    await stopped;
    expect(job.record().status).toBe('succeeded');
    expect(log).toEqual(['delivered', 'stop']);
  });
});
