import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badInvocations, type BadInvocation } from './corpus/badInvocations.js';
import { tempDir } from './helpers/capture.js';
import { buildBin, spawnBin } from './helpers/childBin.js';
import { writeCorpusFixtures } from './helpers/corpusFixtures.js';
import { closedPort } from './helpers/net.js';

/**
 * Issue #8: every bad invocation of the BUILT binary, in a child process, gets the exit status
 * and the sentence of the table, never a stack trace, a raw errno code or "Error:" inside a
 * sentence, the usage text only for a malformed command line, and nothing reaches ComfyUI.
 */

let dir: Awaited<ReturnType<typeof tempDir>>;
let sim: ComfySimulator;
let notComfy: Server;
let placeholders: Record<string, string>;
let promptsQueued = 0;

beforeAll(async () => {
  await buildBin();
  dir = await tempDir('comfyrelay-corpus-');
  await writeCorpusFixtures(dir.path);
  sim = await ComfySimulator.start({ port: 0, host: '127.0.0.1' });
  sim.on('prompt-queued', () => promptsQueued++);
  notComfy = createServer((_request, response) => {
    response.writeHead(404, { 'content-type': 'text/html' });
    response.end('<h1>Not Found</h1>');
  });
  await new Promise<void>((resolve) => notComfy.listen(0, '127.0.0.1', resolve));
  placeholders = {
    '{sim}': sim.url,
    '{busy}': String(sim.port),
    '{closed}': `http://127.0.0.1:${await closedPort()}`,
    '{notcomfy}': `http://127.0.0.1:${(notComfy.address() as AddressInfo).port}`,
    '{dir}': dir.path,
  };
}, 180_000);

afterAll(async () => {
  expect(promptsQueued).toBe(0);
  await sim?.stop();
  await new Promise((resolve) => notComfy?.close(resolve));
  await dir?.remove();
});

function fill(text: string): string {
  return Object.entries(placeholders).reduce(
    (out, [key, value]) => out.replaceAll(key, value),
    text,
  );
}

const PREFIX = /^comfyrelay(?: [a-z]+)?: /;

describe.concurrent('bad invocations of the built comfyrelay', () => {
  it.each(badInvocations.map((c) => [c.id, c] as const))('%s', async (_id, invocation) => {
    const run = spawnBin(invocation.args.map(fill), {
      cwd: dir.path,
      ...(invocation.env ? { env: invocation.env } : {}),
    });
    const status = await run.exit;
    const stderr = run.stderr();
    const stdout = run.stdout();
    expectPlainWords(stderr + stdout);
    expect(status, `${stderr}${stdout}`).toBe(invocation.status);
    expect(stderr).not.toContain('started a ComfyUI simulator');

    if (invocation.report !== undefined) {
      expect(stderr).toBe('');
      expect(stdout.split('\n')[0]).toBe(fill(invocation.report));
      return;
    }
    expect(stdout).toBe('');
    const [message = '', usage] = stderr.split('\n\nUsage: ');
    expect(usage !== undefined, stderr).toBe(invocation.usage === true);
    expect(message).toMatch(PREFIX);
    expectSays(message.replace(PREFIX, '').trimEnd(), invocation);
  });
});

function expectSays(said: string, invocation: BadInvocation): void {
  if (invocation.says instanceof RegExp) expect(said).toMatch(invocation.says);
  else expect(said).toBe(fill(invocation.says ?? ''));
}

/** What no message to a person may hold. */
function expectPlainWords(text: string): void {
  expect(text).not.toMatch(/^\s+at /m); // a stack trace
  expect(text).not.toMatch(/\bE[A-Z]{3,}\b/); // ENOENT, EISDIR, EPIPE …
  expect(text).not.toContain('Error:');
  expect(text).not.toContain('internal error');
}

it('the corpus: 122 invocations, 51 of them answered unclearly and 13 silently wrongly before issue #8', () => {
  const count = (before: BadInvocation['before']) =>
    badInvocations.filter((c) => c.before === before).length;
  expect(new Set(badInvocations.map((c) => c.id)).size).toBe(badInvocations.length);
  expect({
    total: badInvocations.length,
    unclear: count('unclear'),
    silent: count('silent'),
  }).toEqual({ total: 122, unclear: 51, silent: 13 });
});
