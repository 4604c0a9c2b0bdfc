import { fileURLToPath } from 'node:url';
import { describeMachine } from './machine.js';
import { printSection, ResultsFile, type Section } from './results.js';
import { broadcasterIsolation } from './broadcasterIsolation.js';
import { memory } from './memory.js';
import { routerThroughput } from './routerThroughput.js';

/**
 * `pnpm bench`: every benchmark in turn, each measurement in a fresh child process; prints the
 * tables and rewrites tooling/bench/RESULTS.md. `node dist/run.js throughput memory` runs a subset.
 */
const benchmarks: Record<string, (log: (line: string) => void) => Promise<Section>> = {
  throughput: routerThroughput,
  broadcaster: broadcasterIsolation,
  memory,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const selected = Object.keys(benchmarks).filter(
    (name) => wanted.length === 0 || wanted.includes(name),
  );
  const machine = describeMachine();
  const results = new ResultsFile(fileURLToPath(new URL('../RESULTS.md', import.meta.url)));
  results.start(machine);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(
    `comfyrelay benchmarks on ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}`,
  );
  const started = performance.now();
  for (const name of selected) {
    const section = await benchmarks[name]!(log);
    printSection(section);
    results.append(section);
  }
  log(
    `\ndone in ${((performance.now() - started) / 1000).toFixed(0)} s; results in ${results.path}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
