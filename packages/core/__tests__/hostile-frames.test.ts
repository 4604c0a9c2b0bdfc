import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeBinaryFrame } from '../src/connection/decodeBinaryFrame.js';
import type { ComfyMessage, PreviewImage, PromptMessage } from '../src/protocol/messages.js';
import { PromptRouter, readComfyMessage, type PromptSink } from '../src/router/PromptRouter.js';
import { fuzzFrames, mutateBinary, mutateJson } from './helpers/hostile/mutate.js';
import { recordingLogger, settle, watchProcess } from './helpers/hostile/observe.js';
import { Rng, SEEDS } from './helpers/hostile/prng.js';
import { binaryFrame, realBinaryFrames, realMessages } from './helpers/hostile/samples.js';
import { fractionsOf, stubbedPrompt } from './helpers/hostile/stubs.js';
import { malformation, safeJson } from './helpers/hostile/wellFormed.js';

/** Throws with the seed and case, so a failure can be replayed. */
function check(ok: boolean, seed: number, index: number, what: string, recipe: string): void {
  if (!ok) throw new Error(`seed ${seed}, case ${index} (${recipe}): ${what}`);
}

let watch: ReturnType<typeof watchProcess>;
beforeEach(() => {
  watch = watchProcess();
});
afterEach(() => {
  watch.stop();
  expect(watch.crashes).toEqual([]);
});

describe('decodeBinaryFrame against broken frames', () => {
  const meta = (value: unknown) =>
    Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

  it.each([
    ['an empty frame', Buffer.alloc(0), /no event type/],
    ['a 3-byte frame', Buffer.from([0, 0, 1]), /no event type/],
    ['event 4 with no length', Buffer.from([0, 0, 0, 4]), /event 4 is cut short/],
    ['event 1 with no image bytes', binaryFrame(1, 1, Buffer.alloc(0)), /without image bytes/],
    [
      'event 4 with a metadata length beyond the frame',
      binaryFrame(4, 500, meta({ prompt_id: 'p' })),
      /beyond the/,
    ],
    [
      'event 4 with a metadata length of 2^32-1',
      binaryFrame(4, 0xffffffff, Buffer.from('{}xx')),
      /beyond the/,
    ],
    [
      'event 4 with metadata that is not JSON',
      binaryFrame(4, 5, Buffer.from('{"a":xyz')),
      /not a JSON object/,
    ],
    [
      'event 4 with metadata that is a list',
      binaryFrame(4, 5, Buffer.from('[1,2]xyz')),
      /not a JSON object/,
    ],
    [
      'event 4 with a numeric prompt_id',
      binaryFrame(4, 16, Buffer.from('{"prompt_id": 5}xyz')),
      /unreadable prompt_id/,
    ],
    ['event 4 with no image bytes', binaryFrame(4, 2, Buffer.from('{}')), /without image bytes/],
    [
      'event 3 with a node id length beyond the frame',
      binaryFrame(3, 99, Buffer.from('3')),
      /beyond the/,
    ],
  ])('%s is unknown, with its problem in words', (_name, frame, problem) => {
    const decoded = decodeBinaryFrame(frame);
    expect(decoded.kind).toBe('unknown');
    expect(decoded.kind === 'unknown' && decoded.problem).toMatch(problem);
  });

  it('reads event 3 text, and unknown event numbers without calling them broken', () => {
    expect(decodeBinaryFrame(binaryFrame(3, 1, Buffer.from('3Loading 40%')))).toEqual({
      kind: 'text',
      nodeId: '3',
      text: 'Loading 40%',
    });
    expect(decodeBinaryFrame(binaryFrame(0xffffffff, 0, Buffer.from('x')))).toEqual({
      kind: 'unknown',
      event: 0xffffffff,
    });
    expect(decodeBinaryFrame(Buffer.from([0, 0, 0, 7, 1]))).toEqual({ kind: 'unknown', event: 7 });
  });

  it('keeps a preview whose image type is odd, as a JPEG, and its ids when readable', () => {
    const frame = binaryFrame(
      4,
      meta({ prompt_id: 'p1', node_id: 7, image_type: '../x' }).length,
      Buffer.concat([meta({ prompt_id: 'p1', node_id: 7, image_type: '../x' }), Buffer.from([1])]),
    );
    expect(decodeBinaryFrame(frame)).toEqual({
      kind: 'preview',
      preview: { mime: 'image/jpeg', data: Buffer.from([1]), promptId: 'p1' },
    });
  });

  for (const seed of SEEDS)
    it(`never throws on 3 000 mutated frames, and every preview it reads is one (seed ${seed})`, () => {
      const rng = new Rng(seed);
      const real = realBinaryFrames('prompt-a');
      for (let i = 0; i < 3_000; i++) {
        const { value: frame, recipe } = mutateBinary(rng, rng.pick(real));
        let decoded: ReturnType<typeof decodeBinaryFrame>;
        try {
          decoded = decodeBinaryFrame(frame);
        } catch (error) {
          throw new Error(`seed ${seed}, case ${i} (${recipe}): threw ${String(error)}`);
        }
        if (decoded.kind === 'preview') {
          const { preview } = decoded;
          check(preview.data.length > 0, seed, i, 'a preview without bytes', recipe);
          check(/^image\/[\w.+-]+$/.test(preview.mime), seed, i, `mime ${preview.mime}`, recipe);
          check(
            preview.promptId === undefined ||
              (typeof preview.promptId === 'string' && preview.promptId !== ''),
            seed,
            i,
            'a preview with an unreadable prompt id',
            recipe,
          );
          check(
            preview.nodeId === undefined || typeof preview.nodeId === 'string',
            seed,
            i,
            'node id',
            recipe,
          );
        } else if (decoded.kind === 'text') {
          check(
            typeof decoded.nodeId === 'string' && typeof decoded.text === 'string',
            seed,
            i,
            'text',
            recipe,
          );
        } else {
          check(Number.isInteger(decoded.event), seed, i, 'event number', recipe);
          check(
            decoded.problem === undefined || decoded.problem.length < 200,
            seed,
            i,
            'problem',
            recipe,
          );
        }
      }
    });
});

describe('readComfyMessage: a message is read, or said to be unreadable', () => {
  const id = 'prompt-a';

  it('keeps the real messages as they are (the very same objects)', () => {
    for (const message of realMessages(id)) expect(readComfyMessage(message)).toBe(message);
  });

  it.each<[string, unknown, RegExp]>([
    [
      'progress.value as a string',
      { type: 'progress', data: { value: '3', max: 20, prompt_id: id } },
      /"value" and "max"/,
    ],
    [
      'progress with a numeric prompt_id',
      { type: 'progress', data: { value: 3, max: 20, prompt_id: 5 } },
      /prompt_id/,
    ],
    [
      'progress with a negative step',
      { type: 'progress', data: { value: -1, max: 20 } },
      /"value"/,
    ],
    [
      'progress with a step count past 2^53',
      { type: 'progress', data: { value: 1, max: 1e300 } },
      /"max"/,
    ],
    [
      'executed.output as a string',
      { type: 'executed', data: { node: '9', output: 'x', prompt_id: id } },
      /output/,
    ],
    [
      'executed without a node',
      { type: 'executed', data: { output: {}, prompt_id: id } },
      /"node"/,
    ],
    [
      'execution_cached with nodes as an object',
      { type: 'execution_cached', data: { nodes: {}, prompt_id: id } },
      /nodes/,
    ],
    [
      'executing with a numeric node',
      { type: 'executing', data: { node: 3, prompt_id: id } },
      /"node"/,
    ],
    ['execution_success without a prompt_id', { type: 'execution_success', data: {} }, /prompt_id/],
    ['status without a queue count', { type: 'status', data: { status: {} } }, /queue_remaining/],
    ['a list', [1, 2], /not a JSON object/],
    ['null', null, /not a JSON object/],
    ['a message with no type', { data: {} }, /no "type"/],
    ['execution_start with data null', { type: 'execution_start', data: null }, /no "data"/],
  ])('%s is skipped, with its reason', (_name, message, reason) => {
    const read = readComfyMessage(message);
    expect(typeof read).toBe('string');
    expect(read).toMatch(reason);
  });

  it('keeps executed.output null, and a terminal message with unreadable details (read as far as it goes)', () => {
    const executed = { type: 'executed', data: { node: '9', output: null, prompt_id: id } };
    expect(readComfyMessage(executed)).toBe(executed);
    expect(
      readComfyMessage({
        type: 'execution_error',
        data: {
          prompt_id: id,
          node_id: 3,
          node_type: null,
          exception_message: { a: 1 },
          traceback: 'x',
        },
      }),
    ).toEqual({
      type: 'execution_error',
      data: {
        prompt_id: id,
        node_id: '3',
        node_type: '',
        exception_message: '',
        exception_type: '',
      },
    });
    expect(
      readComfyMessage({ type: 'executing', data: { node: null, prompt_id: id, display_node: 1 } }),
    ).toEqual({
      type: 'executing',
      data: { node: null, prompt_id: id },
    });
  });

  it('passes types it does not know as they are', () => {
    const message = { type: 'crystools.monitor', data: 5 };
    expect(readComfyMessage(message)).toBe(message);
  });

  for (const seed of SEEDS)
    it(`never throws, and what it keeps is well-formed (4 000 mutated messages, seed ${seed})`, () => {
      const rng = new Rng(seed);
      const real = realMessages(id);
      for (let i = 0; i < 4_000; i++) {
        const { value, recipe } = mutateJson(rng, rng.pick(real));
        let read: ComfyMessage | string;
        try {
          read = readComfyMessage(value);
        } catch (error) {
          throw new Error(`seed ${seed}, case ${i} (${recipe}): threw ${String(error)}`);
        }
        if (typeof read === 'string')
          check(read.length > 0 && read.length < 200, seed, i, 'reason', recipe);
        else {
          const wrong = malformation(read);
          check(wrong === undefined, seed, i, `kept a malformed message: ${wrong}`, recipe);
        }
      }
    });
});

describe('PromptRouter.route against hostile messages', () => {
  function recordingSink(promptId: string) {
    const messages: PromptMessage[] = [];
    const previews: PreviewImage[] = [];
    const problems: string[] = [];
    const sink: PromptSink = {
      handle(message) {
        const wrong = malformation(message);
        if (wrong) problems.push(wrong);
        const owner = (message.data as { prompt_id?: unknown }).prompt_id;
        if (owner !== undefined && owner !== promptId)
          problems.push(`got ${String(owner)}'s message`);
        messages.push(message);
      },
      handlePreview: (preview) => void previews.push(preview),
    };
    return { sink, messages, previews, problems };
  }

  for (const seed of SEEDS)
    it(`hands each sink only well-formed messages of its own prompt, and never throws (seed ${seed})`, async () => {
      const rng = new Rng(seed);
      const logger = recordingLogger();
      const router = new PromptRouter({ logger, holdMs: 60_000 });
      const ids = ['prompt-a', 'prompt-b', 'prompt-c'];
      const sinks = ids.map((promptId) => {
        const sink = recordingSink(promptId);
        router.register(promptId, sink.sink);
        return sink;
      });
      // A real TrackedPrompt, with a generation and the default progress interpreter, too.
      const tracked = stubbedPrompt('prompt-d', { logger });
      router.register('prompt-d', tracked.prompt);
      const real = [...ids, 'prompt-d', 'someone-else'].flatMap((promptId) =>
        realMessages(promptId),
      );
      // Terminal messages end prompts: kept rare so most of the run has live sinks.
      const live = real.filter(
        (m) =>
          !/execution_(success|error|interrupted)/.test((m as { type: string }).type) &&
          (m as { data: { node?: unknown } }).data.node !== null,
      );
      const frames = fuzzFrames(rng, 500, real, realBinaryFrames('prompt-d')).filter(
        (f) => !f.binary,
      );
      for (let i = 0; i < 3_000; i++) {
        let input: unknown;
        let recipe: string;
        const roll = rng.float();
        if (roll < 0.7)
          ({ value: input, recipe } = mutateJson(rng, rng.pick(rng.chance(0.97) ? live : real)));
        else if (roll < 0.85) {
          const frame = rng.pick(frames);
          recipe = frame.recipe;
          try {
            input = JSON.parse(frame.data as string);
          } catch {
            input = frame.data;
          }
        } else {
          input = rng.pick([
            null,
            undefined,
            0,
            'status',
            [],
            {},
            { type: 'status' },
            { type: 'progress', data: [] },
          ]);
          recipe = `raw ${safeJson(input)}`;
        }
        try {
          router.route(input as ComfyMessage);
          if (rng.chance(0.05)) router.routePreview({ mime: 'image/png', data: Buffer.from([1]) });
        } catch (error) {
          throw new Error(`seed ${seed}, case ${i} (${recipe}): threw ${String(error)}`);
        }
      }
      await settle();
      for (const sink of sinks) expect(sink.problems.slice(0, 3), `seed ${seed}`).toEqual([]);
      // The tracked prompt's progress stayed a progress: finite, in [0, 1], never backwards.
      const fractions = fractionsOf(tracked.events);
      for (const [i, fraction] of fractions.entries()) {
        expect(
          Number.isFinite(fraction) && fraction >= 0 && fraction <= 1,
          `seed ${seed}: ${fraction}`,
        ).toBe(true);
        if (i > 0 && fraction < 1) expect(fraction).toBeGreaterThanOrEqual(fractions[i - 1]!);
      }
      if (tracked.generation.status === 'failed')
        expect(tracked.generation.error?.message).toMatch(
          /failed|stopped|could not be read|no output/,
        );
      // Dropped messages are each one debug line at most.
      expect(logger.count('warn') + logger.count('error')).toBe(0);
      expect(logger.unwritable).toEqual([]);
    });

  it('holds messages for at most `heldPromptLimit` unknown prompts (a flood of made-up ids)', () => {
    const router = new PromptRouter({ heldPromptLimit: 100 });
    for (let i = 0; i < 5_000; i++)
      router.route({ type: 'execution_start', data: { prompt_id: `made-up-${i}` } });
    expect(router.heldCount).toBe(100);
    // The newest are kept: a prompt registered right after its first messages still gets them.
    const sink = recordingSink('made-up-4999');
    router.register('made-up-4999', sink.sink);
    expect(sink.messages).toHaveLength(1);
  });

  it('logs one debug line per message it could not read', () => {
    const logger = recordingLogger();
    const router = new PromptRouter({ logger });
    router.route({ type: 'progress', data: { value: 'x', max: 2 } } as unknown as ComfyMessage);
    router.route(null as unknown as ComfyMessage);
    router.route({ type: 'progress', data: { value: 1, max: 2 } });
    expect(logger.lines.map((l) => [l.level, l.message])).toEqual([
      [
        'debug',
        'ignored a ComfyUI message that could not be read: "progress" has no readable "value" and "max" numbers',
      ],
      ['debug', 'ignored a ComfyUI message that could not be read: it is not a JSON object'],
    ]);
  });
});
