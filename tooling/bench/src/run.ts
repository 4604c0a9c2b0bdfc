import { fileURLToPath } from 'node:url';
import { broadcasterIsolation } from './broadcasterIsolation.js';
import { burst } from './burst.js';
import { describeMachine } from './machine.js';
import { memory } from './memory.js';
import { reattach } from './reattach.js';
import { printSection, writeResults, type Section } from './results.js';
import { scheduler } from './scheduler.js';
import { storeIngest } from './storeIngest.js';
import { throughput } from './throughput.js';
import { updater } from './updater/updater.js';

/**
 * `pnpm bench`: every benchmark in turn, each measurement in a fresh child process; prints the
 * tables and, after a full run only, rewrites tooling/bench/RESULTS.md.
 * `node dist/run.js throughput memory` runs a subset and only prints it.
 */
const benchmarks: Record<string, (log: (line: string) => void) => Promise<Section>> = {
  throughput,
  burst,
  broadcaster: broadcasterIsolation,
  memory,
  updater,
  store: storeIngest,
  scheduler,
  reattach,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in benchmarks));
  if (unknown.length > 0)
    throw new Error(
      `unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(benchmarks).join(', ')}`,
    );
  const selected = Object.keys(benchmarks).filter(
    (name) => wanted.length === 0 || wanted.includes(name),
  );
  const full = selected.length === Object.keys(benchmarks).length;
  const machine = describeMachine();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(
    `comfyrelay benchmarks on ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}`,
  );
  const started = performance.now();
  const sections: Section[] = [];
  for (const name of selected) {
    const section = await benchmarks[name]!(log);
    printSection(section);
    sections.push(section);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  if (!full) {
    log(`\ndone in ${seconds} s; a subset run leaves RESULTS.md as it is`);
    return;
  }
  const path = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
  writeResults(path, machine, sections, Number(seconds));
  log(`\ndone in ${seconds} s; results in ${path}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
