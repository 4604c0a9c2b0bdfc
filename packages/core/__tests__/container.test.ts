import { afterEach, describe, expect, it } from 'vitest';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { createRelayContainer, startRelay } from '../src/di/createRelayContainer.js';
import { ComfyRelay } from '../src/ComfyRelay.js';
import { LoggerToken } from '../src/di/tokens.js';
import { silentLogger } from '../src/util/Logger.js';
import type { Plugin } from '../src/plugins/Plugin.js';

describe('dependency injection', () => {
  let sim: ComfySimulator | undefined;
  let relay: ComfyRelay | undefined;
  afterEach(async () => {
    await relay?.stop();
    await sim?.stop();
  });

  it('builds one relay per container, registers plugins and runs their workflows', async () => {
    sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2 });
    const lifecycle: string[] = [];
    const plugin: Plugin = {
      name: 'test-plugin',
      register(host) {
        lifecycle.push('register');
        host.registerWorkflow({
          id: 'progress',
          title: 'Progress',
          description: 'steps then save',
          template: {
            '1': { class_type: 'TestProgressNode', inputs: { seed: 1, steps: 2 } },
            '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'di' } },
          },
          parameters: [
            {
              name: 'steps',
              type: 'integer',
              min: 1,
              max: 10,
              default: 2,
              bind: { node: '1', input: 'steps' },
            },
            { name: 'seed', type: 'seed', bind: { node: '1', input: 'seed' } },
          ],
          outputs: [{ node: '2', kind: 'image' }],
        });
      },
      start: () => void lifecycle.push('start'),
      stop: () => void lifecycle.push('stop'),
    };
    const container = createRelayContainer(
      { backends: [{ url: sim.url }] },
      { logger: silentLogger, plugins: [plugin] },
    );
    const appScope = container.createChildContainer();
    relay = await startRelay(container);
    expect(appScope.resolve(ComfyRelay)).toBe(relay);
    expect(container.resolve(LoggerToken)).toBe(silentLogger);
    expect(lifecycle).toEqual(['register', 'start']);

    await relay.ready();
    const generation = await relay.generate('progress', { steps: 3 });
    expect((await generation.done).status).toBe('succeeded');
    const history = (await (await fetch(`${sim.url}/history/${generation.promptId}`)).json()) as {
      [id: string]: {
        prompt: [number, string, Record<string, { inputs: Record<string, unknown> }>];
      };
    };
    // The graph ComfyUI ran had the parameter bound into it.
    expect(history[generation.promptId]?.prompt[2]['1']?.inputs['steps']).toBe(3);
    await expect(relay.generate('progress', { steps: 99 })).rejects.toThrow(
      'steps must be at most 10 (got 99)',
    );
    await relay.stop();
    expect(lifecycle).toEqual(['register', 'start', 'stop']);
  });
});
