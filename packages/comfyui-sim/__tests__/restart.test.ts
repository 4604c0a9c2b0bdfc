import { describe, expect, it } from 'vitest';
import { getJson, queuePrompt } from './helpers/http.js';
import { useSimulators } from './helpers/simulator.js';
import { TestSocket } from './helpers/test-socket.js';
import { progressSave } from './helpers/workflows.js';

const startSimulator = useSimulators();

describe('restart()', () => {
  it('drops sockets, queue, history and cache; keeps the port and the files on disk', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'c' });
    const done = await queuePrompt(sim, { prompt: progressSave(1, 1), client_id: 'c' });
    await socket.waitForPromptEnd(done.prompt_id);
    sim.holdExecution();
    const pending = await queuePrompt(sim, { prompt: progressSave(2, 1), client_id: 'c' });
    expect(sim.queueSnapshot().pending).toEqual([pending.prompt_id]);
    const port = sim.port;

    await sim.restart();
    expect(await socket.waitForClose()).toBe(1006);
    expect(sim.port).toBe(port);
    expect(sim.queueSnapshot()).toEqual({ running: [], pending: [] });
    expect((await getJson(sim, '/queue')).body).toEqual({ queue_running: [], queue_pending: [] });
    expect((await getJson(sim, '/history')).body).toEqual({});
    expect((await getJson(sim, `/history/${done.prompt_id}`)).body).toEqual({});
    expect((await fetch(`${sim.url}/view?filename=harness_00001_.png&type=output`)).status).toBe(
      200,
    );

    sim.releaseExecution();
    const again = await TestSocket.open(sim, { clientId: 'c' });
    expect(again.json('status')[0]?.data).toEqual({
      status: { exec_info: { queue_remaining: 0 } },
      sid: 'c',
    });
    const rerun = await queuePrompt(sim, { prompt: progressSave(1, 1), client_id: 'c' });
    expect(rerun.number).toBe(0);
    await again.waitForPromptEnd(rerun.prompt_id);
    expect(again.json('execution_cached')[0]?.data.nodes).toEqual([]);
    expect(again.json('executed')[0]?.data.output.images[0].filename).toBe('harness_00002_.png');
  });

  it('abandons the running prompt silently: no terminal message, no history', async () => {
    const sim = await startSimulator({ stepDelayMs: 60_000 });
    const socket = await TestSocket.open(sim, { clientId: 'c' });
    const started = sim.nextEvent('execution-start');
    const { prompt_id } = await queuePrompt(sim, { prompt: progressSave(1, 3), client_id: 'c' });
    await started;
    await sim.restart();
    await socket.waitForClose();
    expect(socket.typesFor(prompt_id)).not.toContain('execution_interrupted');
    expect((await getJson(sim, `/history/${prompt_id}`)).body).toEqual({});
  });
});

describe('start on a port that is taken', () => {
  it('fails with the listen error and leaves no temp folder behind', async () => {
    const { ComfySimulator } = await import('../src/index.js');
    const { mkdtemp, readdir, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const first = await ComfySimulator.start({ port: 0 });
    // A private TMPDIR for this process, so other tests' folders can't be mistaken for a leak.
    const privateTmp = await mkdtemp(`${tmpdir()}/sim-leak-`);
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = privateTmp;
    try {
      await expect(ComfySimulator.start({ port: first.port })).rejects.toThrow(/EADDRINUSE/);
      expect(await readdir(privateTmp)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
      await rm(privateTmp, { recursive: true, force: true });
      await first.stop();
    }
  });
});
