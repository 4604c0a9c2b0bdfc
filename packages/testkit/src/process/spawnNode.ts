import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface NodeRun {
  child: ChildProcessWithoutNullStreams;
  /** The exit status (null when killed by a signal). */
  exit: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  /** Every stdout line parsed as JSON (for `--json` output). */
  json(): Record<string, unknown>[];
  /** Resolves when stdout matches; rejects if the process ends first. */
  waitForStdout(pattern: RegExp): Promise<void>;
  waitForStderr(pattern: RegExp): Promise<void>;
  /** `promise`, unless the process ends first: then a rejection with its status and output. */
  whileRunning<T>(promise: Promise<T>): Promise<T>;
}

/**
 * A built script in a child Node process, as users run it: only its own handles keep it alive,
 * so a process that would end mid-work does end, and the test sees it.
 */
export function spawnNode(
  script: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): NodeRun {
  const child = spawn(process.execPath, [script, ...args], {
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
  const endedEarly = (what: string) =>
    exit.then((code): never => {
      throw new Error(
        `the process exited (${code}) before ${what}\nstdout: ${stdout}\nstderr: ${stderr}`,
      );
    });
  const waitFor = (stream: 'out' | 'err', pattern: RegExp) =>
    Promise.race([
      new Promise<void>((resolve) => {
        waiters.push({ stream, pattern, resolve });
        check();
      }),
      endedEarly(`${stream === 'out' ? 'stdout' : 'stderr'} matched ${pattern}`),
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
    whileRunning: (promise) => Promise.race([promise, endedEarly('it was expected to')]),
  };
}
