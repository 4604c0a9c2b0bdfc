import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/index.js';
import { fixture, jsonLines, PNG_MAGIC, tempDir, testIO } from './helpers/capture.js';
import { closedPort } from './helpers/net.js';

type Line = Record<string, unknown> & { type: string; id: string | null; promptId: string | null };

let sim: ComfySimulator;
let out: { path: string; remove(): Promise<void> };

beforeAll(async () => {
  sim = await ComfySimulator.start({ port: 0, host: '127.0.0.1', stepDelayMs: 10 });
  out = await tempDir();
});

afterAll(async () => {
  await sim?.stop();
  await out?.remove();
});

async function runJson(args: string[]) {
  const io = testIO({ cwd: out.path });
  const code = await main(
    [
      'run',
      fixture('progress_save.json'),
      '--json',
      '--comfy',
      sim.url,
      '--out',
      out.path,
      ...args,
    ],
    io,
  );
  return { code, io, lines: jsonLines(io.stdout) as Line[] };
}

describe('comfyrelay run --json', () => {
  it('runs --count 3 at once: queued, started, real step progress, saved PNGs, distinct seeds', async () => {
    const { code, io, lines } = await runJson(['--count', '3']);
    expect(io.stderr.text).toBe('');
    expect(code).toBe(0);

    const ids = [...new Set(lines.map((line) => line.id))];
    expect(ids).toHaveLength(3);
    const positions: number[] = [];
    for (const id of ids) {
      const mine = lines.filter((line) => line.id === id);
      const types = mine.map((line) => line.type);
      expect(types.indexOf('queued')).toBeGreaterThanOrEqual(0);
      expect(types.indexOf('queued')).toBeLessThan(types.indexOf('started'));
      expect(types.at(-1)).toBe('succeeded');

      const queued = mine.filter((line) => line.type === 'queued');
      positions.push(Math.max(...queued.map((line) => line['position'] as number)));

      const progress = mine.filter((line) => line.type === 'progress');
      const steps = progress.filter((line) => line['step'] !== null);
      // Superseded progress may be coalesced by the broadcaster: not every step is a line.
      expect(steps.length).toBeGreaterThan(0);
      expect(steps.map((line) => line['stepTotal'])).toEqual(steps.map(() => 5));
      const stepValues = steps.map((line) => line['step'] as number);
      expect(stepValues).toEqual([...stepValues].sort((a, b) => a - b));
      for (const step of stepValues) expect(step).toBeGreaterThanOrEqual(1);
      const fractions = progress.map((line) => line['fraction'] as number);
      expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
      for (const line of progress)
        expect(line).toMatchObject({ promptId: mine[0]?.promptId, phase: expect.any(String) });

      const done = mine.at(-1) as Line & { outputs: string[] };
      expect(done.outputs.length).toBeGreaterThan(0);
      for (const path of done.outputs) {
        const data = await readFile(path);
        expect(data.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
      }
    }
    // The first may start at once; the two others wait behind it.
    expect(positions.filter((position) => position >= 1).length).toBeGreaterThanOrEqual(2);

    const allOutputs = lines
      .filter((line) => line.type === 'succeeded')
      .flatMap((line) => line['outputs'] as string[]);
    expect(new Set(allOutputs).size).toBe(allOutputs.length);

    const promptIds = [...new Set(lines.map((line) => line.promptId))];
    const seeds = await Promise.all(
      promptIds.map(async (promptId) => {
        const history = (await (await fetch(`${sim.url}/history/${promptId}`)).json()) as Record<
          string,
          { prompt: [number, string, Record<string, { inputs: Record<string, unknown> }>] }
        >;
        return history[promptId as string]?.prompt[2]['1']?.inputs['seed'];
      }),
    );
    expect(seeds.every((seed) => typeof seed === 'number')).toBe(true);
    expect(new Set(seeds).size).toBe(3);

    const submitted = lines.filter((line) => line.type === 'submitted');
    expect(
      submitted.map((line) => (line['seeds'] as Record<string, number>)['1.seed']).sort(),
    ).toEqual([...seeds].sort());
  });

  it('applies --set (steps=2 → stepTotal 2) and keeps a --set seed fixed', async () => {
    const { code, lines } = await runJson([
      '--set',
      '1.steps=2',
      '--set',
      '1.seed=1234',
      '--count',
      '2',
    ]);
    expect(code).toBe(0);
    const steps = lines.filter((line) => line.type === 'progress' && line['step'] !== null);
    expect(steps.length).toBeGreaterThan(0);
    expect(new Set(steps.map((line) => line['stepTotal']))).toEqual(new Set([2]));
    const promptId = lines.find((line) => line.type === 'succeeded')?.promptId as string;
    const history = (await (await fetch(`${sim.url}/history/${promptId}`)).json()) as Record<
      string,
      { prompt: [number, string, Record<string, { inputs: Record<string, unknown> }>] }
    >;
    expect(history[promptId]?.prompt[2]['1']?.inputs).toMatchObject({ seed: 1234, steps: 2 });
  });

  it('refuses --set on a node the workflow does not have, naming its nodes (exit 2, no usage text)', async () => {
    const { code, io, lines } = await runJson(['--set', '9.steps=2']);
    expect(code).toBe(2);
    expect(lines).toEqual([]);
    expect(io.stderr.text).toBe(
      'comfyrelay run: --set 9.steps=2: the workflow has no node 9; its nodes are 1 (TestProgressNode), 2 (SaveImage)\n',
    );
  });

  it('refuses a value the node does not take before submitting anything, as workflow check would (exit 2)', async () => {
    const { code, io, lines } = await runJson(['--set', '1.steps=999999']);
    expect(code).toBe(2);
    expect(lines).toEqual([]);
    expect(io.stderr.text).toContain(
      '  - node 1 (TestProgressNode) input "steps" is 999999, above its maximum 10000',
    );
  });

  it('reports a workflow ComfyUI refuses as a "failed" line naming the node (exit 1)', async () => {
    const workflow = join(out.path, 'missing-picture.json');
    await writeFile(
      workflow,
      JSON.stringify({
        '1': { class_type: 'LoadImage', inputs: { image: 'not-on-the-server.png' } },
        '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } },
      }),
    );
    const io = testIO({ cwd: out.path });
    const code = await main(['run', workflow, '--json', '--comfy', sim.url, '--out', out.path], io);
    expect(code).toBe(1);
    // Checked beforehand: the server's input folder lacks it; ComfyUI is the judge.
    expect(io.stderr.text).toContain('comfyrelay run: warning: node 1 (LoadImage) input "image"');
    const failed = jsonLines(io.stdout).find((line) => line['type'] === 'failed') as Line & {
      error: { message: string; code: string };
    };
    expect(failed.id).toEqual(expect.any(String));
    expect(failed.error.code).toBe('validation');
    expect(failed.error.message).toMatch(
      /^ComfyUI refused the workflow: node 1 \(LoadImage\).*Invalid image file: not-on-the-server\.png/,
    );
  });

  it('refuses an unknown node class by name before submitting (exit 2)', async () => {
    const workflow = join(out.path, 'unknown-class.json');
    await writeFile(
      workflow,
      JSON.stringify({
        prompt: {
          '1': { class_type: 'NoSuchNode', inputs: {} },
          '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } },
        },
      }),
    );
    const io = testIO({ cwd: out.path });
    const code = await main(['run', workflow, '--json', '--comfy', sim.url, '--out', out.path], io);
    expect(code).toBe(2);
    expect(io.stdout.text).toBe('');
    expect(io.stderr.text).toContain(
      'node 1 (NoSuchNode) uses the node class "NoSuchNode", which this ComfyUI server does not have',
    );
  });
});

describe('comfyrelay run, failures and interruption', () => {
  it('reports a node failing while it runs as a "failed" line naming the node (exit 1)', async () => {
    const io = testIO({ cwd: out.path });
    const code = await main(
      ['run', fixture('fail_save.json'), '--json', '--comfy', sim.url, '--out', out.path],
      io,
    );
    expect(code).toBe(1);
    const lines = jsonLines(io.stdout) as Line[];
    expect(lines.map((line) => line.type)).toContain('started');
    const failed = lines.at(-1) as Line & {
      error: { message: string; code: string; node: string };
    };
    expect(failed.type).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'execution', node: '1', nodeClass: 'TestFailNode' });
    expect(failed.error.message).toMatch(/^TestFailNode \(node 1\) failed: /);
  });

  it('cancels what is queued or running on the server when its signal aborts (exit 130)', async () => {
    const shutdown = new AbortController();
    const io = testIO({ cwd: out.path, signal: shutdown.signal });
    const exit = main(
      [
        'run',
        fixture('progress_save.json'),
        '--json',
        '--comfy',
        sim.url,
        '--out',
        out.path,
        '-n',
        '2',
        '--set',
        '1.steps=10000',
      ],
      io,
    );
    await io.stdout.waitFor(/"type":"started"/);
    shutdown.abort();
    expect(await exit).toBe(130);
    const lines = jsonLines(io.stdout) as Line[];
    expect(lines.filter((line) => line.type === 'cancelled')).toHaveLength(2);
    const queue = (await (await fetch(`${sim.url}/queue`)).json()) as {
      queue_running: unknown[];
      queue_pending: unknown[];
    };
    expect(queue).toEqual({ queue_running: [], queue_pending: [] });
  });
});

describe('comfyrelay run without a server', () => {
  it('starts its own simulator when neither --comfy nor COMFYUI_URL is set, and stops it', async () => {
    const io = testIO({ env: {}, cwd: out.path, simulator: { stepDelayMs: 5 } });
    const code = await main(
      ['run', fixture('progress_save.json'), '--json', '--out', join(out.path, 'own-sim')],
      io,
    );
    expect(code).toBe(0);
    const match = /started a ComfyUI simulator at (http:\/\/\S+)/.exec(io.stderr.text);
    expect(match).not.toBeNull();
    const succeeded = jsonLines(io.stdout).find((line) => line['type'] === 'succeeded') as {
      outputs: string[];
    };
    expect(succeeded.outputs[0]).toContain(join(out.path, 'own-sim'));
    await expect(fetch(`${match?.[1]}/system_stats`)).rejects.toThrow();
  });

  it('fails clearly when the given server does not answer', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const io = testIO({ cwd: out.path });
    const code = await main(
      ['run', fixture('progress_save.json'), '--comfy', url, '--out', out.path, '--wait', '0'],
      io,
    );
    expect(code).toBe(1);
    expect(io.stderr.text).toContain(`cannot reach ComfyUI at ${url}: connection refused`);
    expect(io.stdout.text).toBe('');
  });
});

describe('comfyrelay run, human output', () => {
  it('prints plain lines without ANSI codes when stdout is not a terminal', async () => {
    const io = testIO({ cwd: out.path });
    const code = await main(
      ['run', fixture('progress_save.json'), '--comfy', sim.url, '--out', out.path, '-n', '2'],
      io,
    );
    expect(code).toBe(0);
    const text = io.stdout.text;
    expect(text).not.toContain('\x1b');
    expect(text).toMatch(/^#1 submitted as prompt \S+ \(1\.seed=\d+\)$/m);
    expect(text).toMatch(/^#2 started$/m);
    expect(text).toMatch(/^#1 done: \S+\.png$/m);
    expect(text).toMatch(/^#2 done: \S+\.png$/m);
  });

  it('draws a live view with cursor movement on a terminal', async () => {
    const io = testIO({ cwd: out.path });
    io.stdout.isTTY = true;
    io.stdout.columns = 120;
    const code = await main(
      ['run', fixture('progress_save.json'), '--comfy', sim.url, '--out', out.path, '-n', '2'],
      io,
    );
    expect(code).toBe(0);
    expect(io.stdout.text).toContain('\x1b[2A');
    const lastFrame = io.stdout.text.split('\x1b[2A').at(-1) ?? '';
    expect(lastFrame).toMatch(/#1 {2}done {2}\S+\.png/);
    expect(lastFrame).toMatch(/#2 {2}done {2}\S+\.png/);
  });
});

describe('comfyrelay run usage errors', () => {
  it.each([
    [['run'], 'which workflow'],
    [['run', fixture('progress_save.json'), '--count', '0'], '--count must be a whole number'],
    [['run', fixture('progress_save.json'), '--bogus'], 'unknown option --bogus'],
    [['run', fixture('progress_save.json'), '--set', 'steps=3'], 'NODE.INPUT=VALUE'],
    [['run', 'missing.json'], 'workflow file not found'],
  ])('%j → exit 2', async (argv, message) => {
    const io = testIO();
    expect(await main(argv, io)).toBe(2);
    expect(io.stderr.text).toContain(message);
    expect(io.stdout.text).toBe('');
  });
});
