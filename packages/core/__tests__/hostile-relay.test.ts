import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ComfyRelay } from '../src/ComfyRelay.js';
import { createRelayContainer } from '../src/di/createRelayContainer.js';
import type { RelayEvent } from '../src/events.js';
import type { GenerationRecord } from '../src/generation/GenerationState.js';
import { submitGraph } from '../src/internal/launchers.js';
import { HostileComfy, json } from './helpers/hostile/HostileComfy.js';
import { fuzzFrames } from './helpers/hostile/mutate.js';
import { recordingLogger, watchProcess } from './helpers/hostile/observe.js';
import { Rng, SEEDS } from './helpers/hostile/prng.js';
import {
  NODE_SAMPLER,
  NODE_SAVE,
  pythonJson,
  realBinaryFrames,
  realMessages,
  successHistory,
} from './helpers/hostile/samples.js';
import { fractionsOf, stubGraph } from './helpers/hostile/stubs.js';
import { waitFor } from './helpers/waitFor.js';
import { isReadableTerminalFor, isWords } from './helpers/hostile/wellFormed.js';

let server: HostileComfy;
let relay: ComfyRelay;
let logger: ReturnType<typeof recordingLogger>;
let events: RelayEvent[];
let watch: ReturnType<typeof watchProcess>;

beforeEach(async () => {
  watch = watchProcess();
  server = await HostileComfy.start();
  logger = recordingLogger();
  events = [];
});

afterEach(async () => {
  await relay?.stop();
  await server.stop();
  watch.stop();
  expect(watch.crashes).toEqual([]);
  expect(logger.unwritable).toEqual([]);
  // Problems are warnings (or debug lines), never errors: nothing broke inside the relay.
  expect(logger.lines.filter((line) => line.level === 'error')).toEqual([]);
});

async function startRelay(): Promise<void> {
  const container = createRelayContainer(
    {
      backends: [{ id: 'hostile', url: server.url }],
      historyRetryDelayMs: 5,
      deadlineMs: 20_000,
      silenceCheckMs: 50,
      scheduling: { perBackend: Infinity },
      connection: { backoff: { initialMs: 20, maxMs: 200 }, deafAfterMs: 100, pingIntervalMs: 0 },
    },
    { logger },
  );
  relay = container.resolve(ComfyRelay);
  relay.subscribe(
    { send: (event) => void events.push(event) },
    { name: 'recorder', coalesce: false },
  );
  await relay.start();
  await relay.ready();
}

async function generate(): Promise<GenerationRecord> {
  const handle = await submitGraph(relay, stubGraph);
  return handle.done;
}

const history = (promptId: string) => pythonJson(successHistory(promptId)[promptId]);

/** What ComfyUI sends for one prompt that succeeds (captures/concurrent.log), in order. */
function realRun(promptId: string): object[] {
  const m = (type: string, data: object) => ({ type, data: { ...data, prompt_id: promptId } });
  return [
    m('execution_start', { timestamp: 1 }),
    m('execution_cached', { nodes: ['4'], timestamp: 2 }),
    m('executing', { node: NODE_SAMPLER, display_node: NODE_SAMPLER }),
    ...[1, 2, 3, 4].map((value) => m('progress', { value, max: 4, node: NODE_SAMPLER })),
    m('executing', { node: '8', display_node: '8' }),
    m('executing', { node: NODE_SAVE, display_node: NODE_SAVE }),
    m('executed', {
      node: NODE_SAVE,
      display_node: NODE_SAVE,
      output: { images: [{ filename: 'live_00001_.png', subfolder: '', type: 'output' }] },
    }),
  ];
}

function endRun(promptId: string): object[] {
  return [
    { type: 'execution_success', data: { prompt_id: promptId, timestamp: 3 } },
    { type: 'status', data: { status: { exec_info: { queue_remaining: 0 } } } },
    { type: 'executing', data: { node: null, prompt_id: promptId } },
  ];
}

function expectProgressDrawable(record: GenerationRecord): void {
  const fractions = fractionsOf(events.filter((e) => 'id' in e && e.id === record.id));
  fractions.forEach((fraction, i) => {
    expect(Number.isFinite(fraction) && fraction >= 0 && fraction <= 1).toBe(true);
    if (i > 0) expect(fraction).toBeGreaterThanOrEqual(fractions[i - 1]!);
  });
}

describe('a relay against a ComfyUI that sends garbage among its real messages', () => {
  for (const seed of SEEDS.slice(0, 3))
    it(`still succeeds when the real messages are there (seed ${seed})`, async () => {
      const rng = new Rng(seed);
      server.onPrompt = (promptId) => {
        // Garbage about every prompt (ours too), but never a readable end of ours: that would end it.
        const garbage = fuzzFrames(
          rng,
          400,
          [...realMessages(promptId), ...realMessages('someone-else')],
          realBinaryFrames(promptId),
        ).filter(
          (frame) =>
            frame.binary ||
            Buffer.isBuffer(frame.data) ||
            !isReadableTerminalFor(frame.data, promptId),
        );
        const sendGarbage = (n: number) => {
          for (let i = 0; i < n && garbage.length > 0; i++) {
            const frame = garbage.pop()!;
            server.send(frame.data, frame.binary);
          }
        };
        server.start(promptId);
        server.status();
        server.status();
        for (const message of realRun(promptId)) {
          sendGarbage(rng.between(5, 30));
          server.send(message);
        }
        sendGarbage(garbage.length);
        server.history.set(promptId, history(promptId));
        server.end(promptId);
        for (const message of endRun(promptId)) server.send(message);
      };
      await startRelay();
      const record = await generate();
      expect(record.error).toBeUndefined();
      expect(record.status).toBe('succeeded');
      expect(record.outputs?.map((output) => output.file)).toEqual([
        { filename: 'ComfyUI_00001_.png', subfolder: '', type: 'output' },
      ]);
      expectProgressDrawable(record);
      // The garbage was noticed: one line per broken frame, warnings at most.
      expect(logger.count('warn')).toBeGreaterThan(50);
    });

  it('fails in words when its terminal messages and its history entry are unreadable', async () => {
    server.onPrompt = (promptId) => {
      server.start(promptId);
      server.status();
      for (const message of realRun(promptId).slice(0, 5)) server.send(message);
      // The end, garbled: no prompt_id that can be read.
      server.end(promptId);
      server.history.set(promptId, '"the entry was eaten"');
      server.send({ type: 'execution_success', data: { prompt_id: 42 } });
      server.send('{"type": "executing", "data": {"node": null, "prompt_id": ["x"]}}');
      server.send('{"type": "execution_success", "data": {"prompt_id": "' + promptId.slice(0, 10));
      server.status();
    };
    await startRelay();
    const record = await generate();
    expect(record.status).toBe('failed');
    expect(record.error?.message).toBe(
      "ComfyUI's answer for this generation could not be read (its history entry has no status), so how it ended is unknown. Please try again.",
    );
    expect(isWords(record.error?.message)).toBe(true);
    expect(
      logger.lines.filter((l) => /history entry for a prompt could not be read/.test(l.message)),
    ).toHaveLength(1);
  });

  it('fails in words when it finished but its history names no readable output (and none was announced)', async () => {
    server.onPrompt = (promptId) => {
      server.start(promptId);
      server.status();
      for (const message of realRun(promptId).slice(0, 5)) server.send(message);
      server.history.set(
        promptId,
        pythonJson({
          status: { status_str: 'success', completed: true, messages: [] },
          outputs: 'eaten',
        }),
      );
      server.end(promptId);
      for (const message of endRun(promptId)) server.send(message);
    };
    await startRelay();
    const record = await generate();
    expect(record.status).toBe('failed');
    expect(record.error).toEqual({
      code: 'no-outputs',
      message:
        'ComfyUI finished this generation, but its answer naming the output files could not be read.',
    });
  });

  it('succeeds from the announced outputs when its history is garbage', async () => {
    server.onPrompt = (promptId) => {
      server.start(promptId);
      server.status();
      for (const message of realRun(promptId)) server.send(message);
      server.history.set(promptId, pythonJson({ status: 'done', outputs: { 9: 'eaten' } }));
      server.end(promptId);
      for (const message of endRun(promptId)) server.send(message);
    };
    await startRelay();
    const record = await generate();
    expect(record.status).toBe('succeeded');
    expect(record.outputs?.map((output) => output.file.filename)).toEqual(['live_00001_.png']);
  });

  it('treats a garbage /queue like a failed refresh, and a garbage /object_info like an unknown catalogue', async () => {
    server.answer('GET /queue', { contentType: 'text/html', body: '<html>502 Bad Gateway</html>' });
    server.answer('GET /object_info', json([1, 2, 3]));
    server.onPrompt = (promptId) => {
      server.start(promptId);
      server.status();
      for (const message of realRun(promptId)) server.send(message);
      server.history.set(promptId, history(promptId));
      server.end(promptId);
      for (const message of endRun(promptId)) server.send(message);
    };
    await startRelay();
    const record = await generate();
    expect(record.status).toBe('succeeded');
    const refreshes = logger.lines.filter((l) => l.message === 'queue refresh failed');
    expect(refreshes.length).toBeGreaterThan(0);
    for (const line of refreshes)
      expect(line.context?.['error']).toMatch(
        /^ComfyUI's answer to GET \/queue could not be read: it is not JSON/,
      );
    await waitFor(() => logger.lines.some((l) => l.message === 'could not read /object_info'), {
      what: 'the /object_info read to fail',
    });
  });

  it('fails in words when POST /prompt answers 200 with something that is not an answer', async () => {
    server.answer('POST /prompt', { contentType: 'text/html', body: '<html>ok</html>' });
    await startRelay();
    const record = await generate();
    expect(record.status).toBe('failed');
    expect(record.error?.message).toMatch(
      /^ComfyUI's answer to POST \/prompt could not be read: it is not JSON: "<html>ok<\/html>" \(text\/html\)$/,
    );
  });
});
