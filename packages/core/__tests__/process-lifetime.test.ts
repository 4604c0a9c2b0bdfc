import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { afterEach, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./fixtures/child/awaitGenerations.mjs', import.meta.url));

/** The built relay in a child process: only its own handles can keep it alive (the bug of issue #6). */
function spawnChild(args: string[]) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const waiters: { type: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  let buffered = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>;
      buffered = buffered.slice(newline + 1);
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.type === line['type'])) waiter.resolve(line);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    lines,
    exit,
    stderr: () => stderr,
    /** The first line of this type; rejects if the child ends without printing one. */
    line: (type: string) =>
      Promise.race([
        new Promise<Record<string, unknown>>((resolve) => {
          const seen = lines.find((line) => line['type'] === type);
          if (seen) resolve(seen);
          else waiters.push({ type, resolve });
        }),
        exit.then((code) => {
          throw new Error(`the child exited (${code}) before a "${type}" line; stderr: ${stderr}`);
        }),
      ]),
  };
}

describe('a process that awaits its generations (built relay, child process)', () => {
  let sim: ComfySimulator | undefined;
  afterEach(async () => sim?.stop());

  it('stays alive while the socket is down and ends once every generation has', async () => {
    sim = await ComfySimulator.start({ port: 0, stepDelayMs: 20 });
    const firstStep = sim.nextEvent('step');
    const child = spawnChild([sim.url, '2', '6']);
    const { promptIds } = (await child.line('submitted')) as unknown as { promptIds: string[] };
    await firstStep;
    const bothEnded = Promise.all(
      promptIds.map((id) => sim!.nextEvent('execution-end', (e) => e.promptId === id, 20_000)),
    );
    // The server finishes both prompts while the client cannot reach it.
    sim.faults.refuseConnections(true);
    sim.faults.dropSockets();
    await bothEnded;
    sim.faults.refuseConnections(false);

    const done = await child.line('done');
    expect(done['statuses']).toEqual(['succeeded', 'succeeded']);
    expect(await child.exit).toBe(0);
    expect(child.stderr()).toBe('');
  });
});
