import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { spawnNode, type NodeRun } from '@comfyrelay/testkit';

const appDir = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Builds the app (and what it stands on) as `tsc -b` does: the child runs what users run. */
export async function buildBot(): Promise<void> {
  await promisify(execFile)(process.execPath, [tsc, '-b'], { cwd: appDir });
}

/** The built bot (`dist/bin.js`) in a child process with only these variables. */
export function spawnBot(env: Record<string, string>, cwd: string): NodeRun {
  return spawnNode(bin, [], { cwd, env });
}
