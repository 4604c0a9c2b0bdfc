import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/**
 * CPU profile of just the measured window (not the set-up): set BENCH_CPU_PROF=<dir> and each
 * throughput run writes <dir>/<name>.cpuprofile, readable in Chrome DevTools or speedscope.
 */
const dir = process.env['BENCH_CPU_PROF'];
let session: Session | undefined;
let counter = 0;

export async function startProfile(): Promise<void> {
  if (!dir) return;
  session ??= new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}

export async function stopProfile(name: string): Promise<void> {
  if (!dir || !session) return;
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${name}-${process.pid}-${++counter}.cpuprofile`),
    JSON.stringify(profile),
  );
}
