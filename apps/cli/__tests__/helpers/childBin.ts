import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { spawnNode, type NodeRun } from '@comfyrelay/testkit';

const appDir = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Build the CLI as `tsc -b` does for the `comfyrelay` bin: child-process tests run what users run. */
export async function buildBin(): Promise<void> {
  await promisify(execFile)(process.execPath, [tsc, '-b'], { cwd: appDir });
}

export type BinRun = NodeRun;

/** The built `comfyrelay` as a child process: only its own handles keep it alive. */
export function spawnBin(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): BinRun {
  return spawnNode(bin, args, options);
}
