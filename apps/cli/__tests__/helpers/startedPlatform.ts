import { spawnBin, type BinRun } from './childBin.js';

/** The built `comfyrelay start` in a child process, once its banner is out. */
export interface StartedPlatform {
  run: BinRun;
  /** `http://127.0.0.1:PORT/` */
  consoleUrl: string;
  /** `ws://127.0.0.1:PORT/events` */
  eventsUrl: string;
  /** The console's JSON API, with the access token when one is given. */
  api(path: string, init?: { method?: string; body?: unknown }): Promise<Response>;
}

const started = new Set<BinRun>();

/** Kills every `start` still running (a test that failed half-way): none outlives its file. */
export async function killLeftoverPlatforms(): Promise<void> {
  const left = [...started];
  started.clear();
  for (const run of left) if (run.child.exitCode === null) run.child.kill('SIGKILL');
  await Promise.all(left.map((run) => run.exit));
}

export async function startPlatformBin(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; accessToken?: string },
): Promise<StartedPlatform> {
  const run = spawnBin(['start', ...args], {
    cwd: options.cwd,
    ...(options.env ? { env: options.env } : {}),
  });
  started.add(run);
  void run.exit.then(() => started.delete(run));
  await run.waitForStdout(/Press Ctrl-C to stop\.\n/);
  const banner = run.stdout();
  const consoleUrl = /console +open (http:\S+) in a browser/.exec(banner)?.[1];
  const eventsUrl = /event stream +(ws:\S+)/.exec(banner)?.[1];
  if (!consoleUrl || !eventsUrl) throw new Error(`no console in the banner:\n${banner}`);
  const authorization: Record<string, string> = options.accessToken
    ? { authorization: `Bearer ${options.accessToken}` }
    : {};
  return {
    run,
    consoleUrl,
    eventsUrl,
    api: (path, init = {}) =>
      fetch(new URL(path, consoleUrl), {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          ...authorization,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      }),
  };
}

/** A generation record as the console's API answers it. */
export interface ApiGeneration {
  id: string;
  promptId: string;
  status: string;
  outputs?: unknown[];
}

/** POST /api/generations: the new generation (202), or a failure with the answer's text. */
export async function postGeneration(
  platform: StartedPlatform,
  workflow: string,
  values: Record<string, unknown>,
): Promise<ApiGeneration> {
  const answer = await platform.api('/api/generations', { body: { workflow, values } });
  if (answer.status !== 202)
    throw new Error(`POST /api/generations: ${answer.status} ${await answer.text()}`);
  return ((await answer.json()) as { generation: ApiGeneration }).generation;
}
