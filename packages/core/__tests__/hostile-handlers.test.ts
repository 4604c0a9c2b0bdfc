import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectOutputs } from '../src/backend/collectOutputs.js';
import { readQueue } from '../src/backend/QueueTracker.js';
import { ComfyRelayError } from '../src/errors.js';
import { PromptValidationError } from '../src/http/PromptValidationError.js';
import type { Progress } from '../src/progress/Progress.js';
import { StepWeightedInterpreter } from '../src/progress/StepWeightedInterpreter.js';
import type { NodeOutput, PromptMessage } from '../src/protocol/messages.js';
import type { HistoryEntry, PromptErrorBody, QueueResponse } from '../src/protocol/rest.js';
import { mutateJson, randomJson } from './helpers/hostile/mutate.js';
import { recordingLogger, settle, watchProcess } from './helpers/hostile/observe.js';
import { Rng, SEEDS } from './helpers/hostile/prng.js';
import {
  errorHistory,
  interruptedHistory,
  NODE_SAVE,
  queueAnswer,
  realMessages,
  refusalAnswer,
  successHistory,
} from './helpers/hostile/samples.js';
import { fractionsOf, stubbedPrompt, stubGraph } from './helpers/hostile/stubs.js';
import { isWords, safeJson, terminalTypes } from './helpers/hostile/wellFormed.js';

function fail(seed: number, index: number, recipe: string, what: string): never {
  throw new Error(`seed ${seed}, case ${index} (${recipe}): ${what}`);
}

let watch: ReturnType<typeof watchProcess>;
beforeEach(() => {
  watch = watchProcess();
});
afterEach(() => {
  watch.stop();
  expect(watch.crashes).toEqual([]);
});

/** A progress a frontend can draw: finite, within bounds. */
function progressProblem(progress: Progress): string | undefined {
  const { fraction, step, stepTotal, etaMs, phase } = progress;
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) return `fraction ${fraction}`;
  if (typeof phase !== 'string' || /undefined|NaN|\[object/.test(phase)) return `phase ${phase}`;
  for (const [name, value] of Object.entries({ step, stepTotal, etaMs }))
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) return `${name} ${value}`;
  return undefined;
}

describe('the default progress interpreter with garbage messages', () => {
  it.each<[string, unknown]>([
    ['progress.value as a string', { type: 'progress', data: { value: '3', max: 20, node: '3' } }],
    [
      'progress with huge numbers',
      { type: 'progress', data: { value: 1e300, max: 1e300, node: '3' } },
    ],
    ['progress with NaN', { type: 'progress', data: { value: NaN, max: 20, node: '3' } }],
    ['progress with max 0', { type: 'progress', data: { value: 0, max: 0, node: '3' } }],
    ['execution_cached with nodes as a number', { type: 'execution_cached', data: { nodes: 5 } }],
    ['executing a number', { type: 'executing', data: { node: 3 } }],
    ['executed with no node', { type: 'executed', data: {} }],
    ['data null', { type: 'progress', data: null }],
  ])('skips %s', (_name, message) => {
    const tracker = new StepWeightedInterpreter().track(stubGraph);
    tracker.onMessage({ type: 'executing', data: { node: '3' } }, 0);
    const before = tracker.current();
    expect(tracker.onMessage(message as PromptMessage, 1)).toBeUndefined();
    expect(tracker.current()).toBe(before);
  });

  for (const seed of SEEDS)
    it(`keeps a drawable, never-receding bar through 3 000 mutated messages (seed ${seed})`, () => {
      const rng = new Rng(seed);
      const tracker = new StepWeightedInterpreter().track(stubGraph);
      const real = realMessages('p');
      let last = 0;
      for (let i = 0; i < 3_000; i++) {
        const { value, recipe } = rng.chance(0.3)
          ? { value: rng.pick(real), recipe: 'real' }
          : mutateJson(rng, rng.pick(real));
        let progress: Progress | undefined;
        try {
          progress = tracker.onMessage(value as PromptMessage, i * 10);
        } catch (error) {
          fail(seed, i, recipe, `threw ${String(error)}`);
        }
        if (!progress) continue;
        const problem = progressProblem(progress);
        if (problem) fail(seed, i, recipe, problem);
        if (progress.fraction < last) fail(seed, i, recipe, `went back to ${progress.fraction}`);
        if (progress.fraction > 0.99) fail(seed, i, recipe, 'claimed done');
        last = progress.fraction;
      }
    });
});

describe('TrackedPrompt.handle with garbage messages', () => {
  for (const seed of SEEDS)
    it(`skips what it cannot read and ends only on a readable end (seed ${seed})`, async () => {
      const rng = new Rng(seed);
      const real = realMessages('p');
      const live = real.filter((m) => {
        const { type, data } = m as { type: string; data: { node?: unknown } };
        return !terminalTypes.has(type) && data.node !== null;
      });
      for (let run = 0; run < 20; run++) {
        const logger = recordingLogger();
        const { prompt, generation, events } = stubbedPrompt('p', {
          logger,
          history: () => successHistory('p')['p'],
        });
        for (let i = 0; i < 150; i++) {
          const { value, recipe } = rng.chance(0.1)
            ? { value: randomJson(rng), recipe: 'random' }
            : mutateJson(rng, rng.pick(rng.chance(0.95) ? live : real));
          try {
            prompt.handle(value as PromptMessage);
          } catch (error) {
            fail(seed, run * 150 + i, recipe, `threw ${String(error)}`);
          }
        }
        await settle();
        for (const event of events)
          if (event.type === 'progress') {
            const problem = progressProblem(event.progress);
            if (problem) fail(seed, run, 'run', problem);
          }
        const fractions = fractionsOf(events);
        fractions.forEach((f, i) => {
          if (i > 0 && f < fractions[i - 1]!)
            fail(seed, run, 'run', `progress went back: ${fractions.join()}`);
        });
        if (generation.status === 'failed' && !isWords(generation.error?.message))
          fail(seed, run, 'run', `failure not in words: ${generation.error?.message}`);
        if (generation.status === 'succeeded')
          expect(generation.outputs?.map((o) => o.file.filename)).toEqual(['ComfyUI_00001_.png']);
        expect(logger.count('error')).toBe(0);
      }
    });

  it('ignores a message of another prompt handed to it', () => {
    const { prompt, generation } = stubbedPrompt('p');
    prompt.handle({ type: 'execution_error', data: { ...errorData, prompt_id: 'other' } });
    expect(generation.isTerminal).toBe(false);
  });

  it('fails in words on an execution_error whose details cannot be read', () => {
    const { prompt, generation } = stubbedPrompt('p');
    prompt.handle({
      type: 'execution_error',
      data: { prompt_id: 'p', node_id: { x: 1 } },
    } as never);
    expect(generation.error).toEqual({
      code: 'execution',
      message: 'ComfyUI reported an error in this generation (its details could not be read).',
    });
  });

  it('cuts a huge exception message to what a chat can show', () => {
    const { prompt, generation } = stubbedPrompt('p');
    prompt.handle({
      type: 'execution_error',
      data: { ...errorData, exception_message: 'x'.repeat(100_000) },
    });
    expect(generation.error?.message.length).toBeLessThan(600);
    expect(generation.error?.message).toMatch(/^KSampler \(node 3\) failed: x+…$/);
  });
});

const errorData = {
  prompt_id: 'p',
  node_id: '3',
  node_type: 'KSampler',
  exception_message: 'CUDA out of memory',
  exception_type: 'torch.OutOfMemoryError',
};

describe('TrackedPrompt.settleFrom with garbage history entries', () => {
  async function settleWith(entry: unknown, announce = false) {
    const logger = recordingLogger();
    const stub = stubbedPrompt('p', { logger, history: () => entry });
    if (announce)
      stub.prompt.handle({
        type: 'executed',
        data: {
          node: NODE_SAVE,
          prompt_id: 'p',
          output: { images: [{ filename: 'live.png', subfolder: '', type: 'output' }] },
        },
      });
    stub.prompt.settleFrom(entry as HistoryEntry);
    await settle();
    return { ...stub, logger };
  }

  const success = successHistory('p')['p'] as Record<string, unknown>;

  it.each<[string, unknown, RegExp]>([
    [
      'an empty entry',
      {},
      /^ComfyUI's answer for this generation could not be read \(its history entry has no status\)/,
    ],
    ['a string', 'garbage', /could not be read \(its history entry is not an object\)/],
    ['null', null, /could not be read/],
    [
      'a status that is a list',
      { ...success, status: [] },
      /could not be read \(its history entry has no status\)/,
    ],
    [
      'a status with nothing readable',
      { ...success, status: { status_str: 5, messages: 'x' } },
      /no readable status/,
    ],
    [
      'success with outputs missing',
      { ...success, outputs: undefined },
      /^ComfyUI finished this generation, but its answer naming the output files could not be read\.$/,
    ],
    [
      'success with outputs a string',
      { ...success, outputs: 'x' },
      /naming the output files could not be read/,
    ],
    [
      'success with a garbage file',
      { ...success, outputs: { 9: { images: [{ filename: 5 }] } } },
      /naming the output files could not be read/,
    ],
    [
      'success with no outputs at all',
      { ...success, outputs: {} },
      /^ComfyUI finished but produced no output files\.$/,
    ],
    [
      'an error with messages that are not a list',
      { status: { status_str: 'error', completed: false, messages: {} } },
      /^ComfyUI reported this generation as failed \(its details could not be read\)\.$/,
    ],
    [
      'an error whose data is null',
      { status: { status_str: 'error', messages: [['execution_error', null]] } },
      /^ComfyUI reported an error in this generation \(its details could not be read\)\.$/,
    ],
    [
      'an error with messages of garbage',
      { status: { status_str: 'error', messages: [5, null, 'x', [[1]]] } },
      /^ComfyUI reported this generation as failed\.$/,
    ],
    [
      'an interruption with a numeric node',
      { status: { status_str: 'error', messages: [['execution_interrupted', { node_id: 3 }]] } },
      /interrupted on the server/,
    ],
  ])('fails %s in words', async (_name, entry, reason) => {
    const { generation, logger } = await settleWith(entry);
    expect(generation.status).toBe('failed');
    expect(generation.error?.message).toMatch(reason);
    expect(logger.count('warn')).toBeLessThanOrEqual(1);
  });

  it('succeeds from the live `executed` outputs when history has only garbage ones', async () => {
    const { generation } = await settleWith({ ...success, outputs: { 9: 'x' } }, true);
    expect(generation.status).toBe('succeeded');
    expect(generation.outputs?.map((o) => o.file.filename)).toEqual(['live.png']);
  });

  for (const seed of SEEDS)
    it(`ends every prompt, in words, whatever its entry holds (300 mutated entries, seed ${seed})`, async () => {
      const rng = new Rng(seed);
      const entries = [success, errorHistory('p')['p'], interruptedHistory('p')['p']];
      for (let i = 0; i < 300; i++) {
        const { value: entry, recipe } = mutateJson(rng, rng.pick(entries));
        let stub: Awaited<ReturnType<typeof settleWith>>;
        try {
          stub = await settleWith(entry, rng.chance(0.3));
        } catch (error) {
          fail(seed, i, recipe, `threw ${String(error)}`);
        }
        const { generation, logger } = stub;
        if (!generation.isTerminal) fail(seed, i, recipe, `still ${generation.status}`);
        if (generation.status === 'failed' && !isWords(generation.error?.message))
          fail(seed, i, recipe, `not in words: ${generation.error?.message}`);
        if (generation.status === 'succeeded') {
          for (const output of generation.outputs ?? []) {
            const { file } = output;
            if (Object.keys(file).join() !== 'filename,subfolder,type')
              fail(seed, i, recipe, `file ${safeJson(file)}`);
            if (![file.filename, file.subfolder, file.type].every((v) => typeof v === 'string'))
              fail(seed, i, recipe, `file ${safeJson(file)}`);
          }
          // A record can always be written (stores and event streams serialise it).
          JSON.stringify(generation.toRecord());
        }
        if (logger.count('warn') > 1 || logger.count('error') > 0)
          fail(
            seed,
            i,
            recipe,
            `${logger.count()} log lines: ${logger.lines.map((l) => l.message).join(' | ')}`,
          );
      }
    });
});

describe('collectOutputs with garbage outputs', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'x'],
    ['a list', [1, 2]],
    ['a node output that is null', { 9: null }],
    ['images that are a string', { 9: { images: 'x' } }],
    [
      'files of every wrong kind',
      { 9: { images: [null, 5, 'a.png', { filename: 5 }, { filename: '' }], gifs: {}, videos: 7 } },
    ],
    [
      'a file name a megabyte long',
      { 9: { images: [{ filename: 'x'.repeat(1_000_000), subfolder: '', type: 'output' }] } },
    ],
  ])('finds nothing in %s, without throwing', (_name, outputs) => {
    expect(collectOutputs(outputs as Record<string, NodeOutput>, 'b')).toEqual([]);
  });

  it('keeps only the three fields of a file (anything else a server adds stays behind)', () => {
    const outputs = collectOutputs(
      {
        9: {
          images: [{ filename: 'a.png', subfolder: 1 as never, type: 'output', junk: [[[1]]] }],
        },
        8: { images: [{ filename: 'b.png', junk: {} }] },
      } as never,
      'b',
    );
    expect(outputs.map((o) => o.file)).toEqual([
      { filename: 'b.png', subfolder: '', type: 'output' },
    ]);
  });

  for (const seed of SEEDS)
    it(`never throws, and every file it finds is a plain file reference (2 000 cases, seed ${seed})`, () => {
      const rng = new Rng(seed);
      const real = (successHistory('p')['p'] as { outputs: unknown }).outputs;
      for (let i = 0; i < 2_000; i++) {
        const { value, recipe } = mutateJson(rng, real);
        let outputs: ReturnType<typeof collectOutputs>;
        try {
          outputs = collectOutputs(
            value as Record<string, NodeOutput>,
            'b',
            rng.chance(0.3) ? [{ node: NODE_SAVE, kind: 'image' }] : [],
          );
          JSON.stringify(outputs);
        } catch (error) {
          fail(seed, i, recipe, `threw ${String(error)}`);
        }
        for (const output of outputs)
          if (
            Object.keys(output.file).join() !== 'filename,subfolder,type' ||
            typeof output.file.filename !== 'string'
          )
            fail(seed, i, recipe, safeJson(output.file));
      }
    });
});

describe('readQueue with garbage answers', () => {
  it('reads a real answer, pending sorted by number', () => {
    expect(readQueue(queueAnswer('r', ['b', 'a']) as unknown as QueueResponse)).toEqual({
      running: ['r'],
      pending: ['a', 'b'],
    });
  });

  for (const seed of SEEDS)
    it(`reads a view of ids, or says in words that it cannot (2 000 cases, seed ${seed})`, () => {
      const rng = new Rng(seed);
      const real = queueAnswer('r', ['a', 'b', 'c']);
      for (let i = 0; i < 2_000; i++) {
        const { value, recipe } = mutateJson(rng, real);
        try {
          const view = readQueue(value as QueueResponse);
          if (
            ![...view.running, ...view.pending].every((id) => typeof id === 'string' && id !== '')
          )
            fail(seed, i, recipe, safeJson(view));
        } catch (error) {
          if (
            !(error instanceof ComfyRelayError) ||
            !/^ComfyUI's queue could not be read: /.test(error.message)
          )
            fail(seed, i, recipe, `threw ${String(error)}`);
        }
      }
    });
});

describe('PromptValidationError with garbage refusals', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['node_errors as a string', { error: refusalAnswer.error, node_errors: 'abc' }],
    [
      'errors that are not a list',
      { error: {}, node_errors: { 1: { errors: 5, class_type: 'X' } } },
    ],
    [
      'an unprintable received value',
      {
        error: {},
        node_errors: {
          1: {
            errors: [
              {
                type: 'invalid_input_type',
                extra_info: {
                  received_value: JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`),
                },
              },
            ],
          },
        },
      },
    ],
  ])('names a reason in words for %s', (_name, body) => {
    const error = new PromptValidationError(body as PromptErrorBody);
    expect(error.message).toMatch(/^ComfyUI refused the workflow: \S/);
    expect(error.message).not.toMatch(/undefined|\[object Object\]/);
    expect(error.issues.length).toBeGreaterThan(0);
  });

  it('spells out ten issues at most', () => {
    const errors = Array.from({ length: 500 }, () => refusalAnswer.node_errors['1'].errors[0]);
    const error = new PromptValidationError({
      ...refusalAnswer,
      node_errors: { 1: { ...refusalAnswer.node_errors['1'], errors } },
    } as never);
    expect(error.message).toMatch(/; and 190 more$/);
    expect(error.issues).toHaveLength(200);
  });

  for (const seed of SEEDS)
    it(`never throws building one (1 000 mutated refusals, seed ${seed})`, () => {
      const rng = new Rng(seed);
      for (let i = 0; i < 1_000; i++) {
        const { value, recipe } = mutateJson(rng, refusalAnswer);
        try {
          const error = new PromptValidationError(value as PromptErrorBody);
          if (
            !error.message.startsWith('ComfyUI refused the workflow: ') ||
            error.message.length > 5_000
          )
            fail(seed, i, recipe, error.message.slice(0, 200));
        } catch (error) {
          fail(seed, i, recipe, `threw ${String(error)}`);
        }
      }
    });
});
