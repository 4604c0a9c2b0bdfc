import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const appDir = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Build the CLI as `tsc -b` does for the `comfyrelay` bin: child-process tests run what users run. */
export async function buildBin(): Promise<void> {
  await promisify(execFile)(process.execPath, [tsc, '-b'], { cwd: appDir });
}

export interface BinRun {
  child: ChildProcessWithoutNullStreams;
  /** The exit status (null when killed by a signal). */
  exit: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  /** Every stdout line parsed as JSON (for `--json` runs). */
  json(): Record<string, unknown>[];
  /** Resolves when stdout matches; rejects if the process ends first. */
  waitForStdout(pattern: RegExp): Promise<void>;
  waitForStderr(pattern: RegExp): Promise<void>;
  /** `promise`, unless the process ends first: then a rejection with its status and output. */
  whileRunning<T>(promise: Promise<T>): Promise<T>;
}

/** The built `comfyrelay` as a child process: only its own handles keep it alive. */
export function spawnBin(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): BinRun {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '', ...options.env },
  });
  let stdout = '';
  let stderr = '';
  const waiters: { stream: 'out' | 'err'; pattern: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      if (!waiter.pattern.test(waiter.stream === 'out' ? stdout : stderr)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    check();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    check();
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const waitFor = (stream: 'out' | 'err', pattern: RegExp) =>
    Promise.race([
      new Promise<void>((resolve) => {
        waiters.push({ stream, pattern, resolve });
        check();
      }),
      exit.then((code) => {
        throw new Error(
          `comfyrelay exited (${code}) before ${stream === 'out' ? 'stdout' : 'stderr'} matched ${pattern}\nstdout: ${stdout}\nstderr: ${stderr}`,
        );
      }),
    ]);
  return {
    child,
    exit,
    stdout: () => stdout,
    stderr: () => stderr,
    json: () =>
      stdout
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    waitForStdout: (pattern) => waitFor('out', pattern),
    waitForStderr: (pattern) => waitFor('err', pattern),
    whileRunning: (promise) =>
      Promise.race([
        promise,
        exit.then((code): never => {
          throw new Error(
            `comfyrelay exited (${code}) too early\nstdout: ${stdout}\nstderr: ${stderr}`,
          );
        }),
      ]),
  };
}
