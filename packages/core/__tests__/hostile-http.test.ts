import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ComfyHttpError, ComfyUnreachableError, PromptIdIgnoredError } from '../src/errors.js';
import { ComfyHttpClient } from '../src/http/ComfyHttpClient.js';
import { PromptValidationError } from '../src/http/PromptValidationError.js';
import { HostileComfy, json, type Answer } from './helpers/hostile/HostileComfy.js';
import { mutateJson, mutateText } from './helpers/hostile/mutate.js';
import { watchProcess } from './helpers/hostile/observe.js';
import { Rng, SEEDS } from './helpers/hostile/prng.js';
import {
  objectInfoAnswer,
  pythonJson,
  queueAnswer,
  refusalAnswer,
  successHistory,
} from './helpers/hostile/samples.js';

const PROMPT = 'prompt-a';
const crashText =
  /SyntaxError|Unexpected token|TypeError|is not a function|Cannot read prop|undefined|\[object Object\]/;

let server: HostileComfy;
let client: ComfyHttpClient;
/** For answers that never come whole: its timeout ends them. */
let impatient: ComfyHttpClient;
let watch: ReturnType<typeof watchProcess>;

beforeAll(async () => {
  server = await HostileComfy.start();
  client = new ComfyHttpClient({ baseUrl: server.url, timeoutMs: 10_000 });
  impatient = new ComfyHttpClient({ baseUrl: server.url, timeoutMs: 150, transferTimeoutMs: 150 });
});
afterAll(async () => server.stop());
beforeEach(() => {
  watch = watchProcess();
});
afterEach(() => {
  for (const route of [
    'GET /queue',
    'GET /history',
    'GET /object_info',
    'POST /prompt',
    'POST /upload/image',
    'GET /prompt',
    'GET /system_stats',
    'GET /features',
    'GET /view',
  ])
    server.restore(route);
  watch.stop();
  expect(watch.crashes).toEqual([]);
});

/** What a call ended with: its value, or its error (which must be one of ours, in words). */
async function outcome<T>(call: Promise<T>): Promise<{ value?: T; error?: Error }> {
  try {
    return { value: await call };
  } catch (error) {
    return { error: error as Error };
  }
}

function expectTyped(
  error: Error | undefined,
  type: new (...args: never[]) => Error,
  words: RegExp,
): void {
  expect(error).toBeInstanceOf(type);
  expect(error?.message).toMatch(words);
  expect(error?.message).not.toMatch(crashText);
}

describe('ComfyHttpClient against answers gone wrong', () => {
  it.each<[string, Answer, RegExp]>([
    [
      'an HTML page',
      { contentType: 'text/html', body: '<html><body>Bad Gateway</body></html>' },
      /could not be read: it is not JSON: "<html><body>Bad Gateway<\/body><\/html>" \(text\/html\)$/,
    ],
    [
      'a truncated body',
      { body: pythonJson(queueAnswer('a', ['b'])).slice(0, 40) },
      /could not be read: it is not JSON/,
    ],
    ['an empty body', { body: '' }, /could not be read: it is empty/],
    ['{}', json({}), /could not be read: its queue_running is not a list$/],
    [
      'a list',
      json([1, 2]),
      /could not be read: expected \{queue_running, queue_pending\}, got a list$/,
    ],
    ['an error body with 200', json({ error: 'internal' }), /queue_running is not a list/],
    [
      'items of the wrong shape',
      json({ queue_running: [['x', 5]], queue_pending: [] }),
      /holds an item that is not \[number, prompt_id, …\]/,
    ],
    [
      'a pending item that is a string',
      json({ queue_running: [], queue_pending: ['p'] }),
      /queue_pending holds an item/,
    ],
  ])('GET /queue: %s is an unreadable answer (ComfyHttpError)', async (_name, answer, words) => {
    server.answer('GET /queue', answer);
    const { error } = await outcome(client.getQueue());
    expectTyped(error, ComfyHttpError, /^ComfyUI's answer to GET \/queue could not be read: /);
    expect(error?.message).toMatch(words);
    expect((error as ComfyHttpError).status).toBe(200);
  });

  it.each<[string, Answer, 'timeout' | 'network', boolean]>([
    [
      'a connection reset mid-body',
      { ...json(queueAnswer('a', ['b', 'c'])), mode: 'reset' },
      'network',
      true,
    ],
    [
      'a slow drip past the timeout',
      { ...json(queueAnswer('a', ['b'])), mode: 'drip' },
      'timeout',
      true,
    ],
    ['no answer at all', { mode: 'silent' }, 'timeout', false],
  ])(
    'GET /queue: %s is unreachable (ComfyUnreachableError)',
    async (_name, answer, reason, answered) => {
      server.answer('GET /queue', answer);
      const { error } = await outcome(impatient.getQueue());
      expectTyped(
        error,
        ComfyUnreachableError,
        answered
          ? /^ComfyUI's answer to \/queue was cut off$/
          : /^ComfyUI (did not answer|could not be reached for) \/queue/,
      );
      expect((error as ComfyUnreachableError).reason).toBe(reason);
      expect((error as ComfyUnreachableError).answered).toBe(answered);
    },
  );

  it('GET /queue: a 500 page is a ComfyHttpError with its status', async () => {
    server.answer('GET /queue', {
      status: 500,
      contentType: 'text/plain',
      body: '500 Internal Server Error',
    });
    const { error } = await outcome(client.getQueue());
    expectTyped(
      error,
      ComfyHttpError,
      /^ComfyUI answered 500 to GET \/queue: 500 Internal Server Error$/,
    );
  });

  it('GET /history/{id}: an entry that is not an object comes back empty (the prompt ended, how is unknown)', async () => {
    server.history.set(PROMPT, '"garbage"');
    expect(await client.getHistoryEntry(PROMPT)).toEqual({});
    server.history.set(PROMPT, 'null');
    expect(await client.getHistoryEntry(PROMPT)).toEqual({});
    server.history.clear();
    expect(await client.getHistoryEntry(PROMPT)).toBeUndefined();
    server.answer('GET /history', json({ other: { outputs: {} }, constructor: 5 }));
    expect(await client.getHistoryEntry(PROMPT)).toBeUndefined();
    expect(await client.getHistoryEntry('constructor')).toEqual({});
  });

  it.each<[string, Answer]>([
    ['a list', json([successHistory(PROMPT)])],
    ['a number', json(5)],
    ['truncated JSON', { body: pythonJson(successHistory(PROMPT)).slice(0, 100) }],
  ])('GET /history/{id}: %s is an unreadable answer', async (_name, answer) => {
    server.answer('GET /history', answer);
    const { error } = await outcome(client.getHistoryEntry(PROMPT));
    expectTyped(
      error,
      ComfyHttpError,
      /^ComfyUI's answer to GET \/history\/prompt-a could not be read: /,
    );
    const batch = await outcome(client.getHistory(10));
    expectTyped(
      batch.error,
      ComfyHttpError,
      /^ComfyUI's answer to GET \/history could not be read: /,
    );
  });

  it('GET /object_info: what is not a node class is left out, broken inputs are dropped from their class', async () => {
    server.answer(
      'GET /object_info',
      json({
        Garbage: 5,
        NoInput: { input: 'x', output: 'MODEL' },
        Mixed: {
          input: { required: { bad: 5, good: ['INT', {}] }, optional: [], hidden: 3 },
          output: ['X'],
          name: 'Mixed',
        },
        ...objectInfoAnswer,
      }),
    );
    const info = await client.getObjectInfo();
    expect(Object.keys(info)).toEqual(['NoInput', 'Mixed', 'CheckpointLoaderSimple', 'KSampler']);
    expect(info['NoInput']).toEqual({ input: {}, output: [], name: 'NoInput' });
    expect(info['Mixed']?.input).toEqual({ required: { good: ['INT', {}] } });
    expect(info['KSampler']).toEqual(objectInfoAnswer.KSampler);
  });

  it.each<[string, Answer]>([
    ['a list', json([])],
    ['a string', json('object_info')],
    ['HTML', { contentType: 'text/html', body: '<!doctype html>' }],
  ])('GET /object_info: %s is an unreadable answer', async (_name, answer) => {
    server.answer('GET /object_info', answer);
    const { error } = await outcome(client.getObjectInfo('KSampler'));
    expectTyped(
      error,
      ComfyHttpError,
      /^ComfyUI's answer to GET \/object_info\/KSampler could not be read: /,
    );
  });

  const submit = () => client.submitPrompt({ prompt: {}, clientId: 'c', promptId: PROMPT });

  it.each<[string, Answer, new (...args: never[]) => Error, RegExp]>([
    [
      '200 {}',
      json({}),
      ComfyHttpError,
      /^ComfyUI's answer to POST \/prompt could not be read: it names no prompt_id$/,
    ],
    [
      '200 with a list',
      json([PROMPT]),
      ComfyHttpError,
      /could not be read: expected an object, got a list$/,
    ],
    [
      '200 truncated',
      { body: '{"prompt_id": "prom' },
      ComfyHttpError,
      /could not be read: it is not JSON/,
    ],
    [
      '200 with an error body',
      json(refusalAnswer),
      PromptValidationError,
      /^ComfyUI refused the workflow: node 1 \(TestProgressNode\) input "steps": 999999 is bigger than the maximum 10000/,
    ],
    [
      '400 with plain text',
      { status: 400, contentType: 'text/plain', body: 'bad things' },
      PromptValidationError,
      /^ComfyUI refused the workflow: bad things$/,
    ],
    [
      '400 with a string error',
      json({ error: 'no prompt' }, 400),
      PromptValidationError,
      /^ComfyUI refused the workflow: no prompt$/,
    ],
    [
      '400 with node_errors of garbage',
      json(
        {
          error: { message: 'Prompt outputs failed validation' },
          node_errors: { 1: 5, 2: { errors: 'x' } },
        },
        400,
      ),
      PromptValidationError,
      /^ComfyUI refused the workflow: Prompt outputs failed validation$/,
    ],
    [
      '400 cut mid-body',
      { ...json(refusalAnswer, 400), mode: 'reset' },
      ComfyUnreachableError,
      /^ComfyUI's answer to \/prompt was cut off$/,
    ],
    [
      '500 (malformed JSON, as ComfyUI answers it)',
      { status: 500, contentType: 'text/plain', body: '500 Internal Server Error' },
      ComfyHttpError,
      /^ComfyUI answered 500 to POST \/prompt/,
    ],
  ])('POST /prompt: %s', async (_name, answer, type, words) => {
    server.answer('POST /prompt', answer);
    const { error } = await outcome(submit());
    expectTyped(error, type, words);
  });

  it('POST /prompt: a 200 that names another prompt is refused (an old ComfyUI ignores the id it is given)', async () => {
    server.answer('POST /prompt', json({ prompt_id: 'c0ffee', number: 1, node_errors: {} }));
    const { error } = await outcome(submit());
    expectTyped(
      error,
      PromptIdIgnoredError,
      /^ComfyUI queued the workflow under another prompt id \("c0ffee"\) than the one it was given; comfyrelay needs a ComfyUI that keeps it \(0\.3\.45 or newer\)\.$/,
    );
  });

  it('POST /prompt: a 200 that names the prompt is read, odd extras aside', async () => {
    server.answer('POST /prompt', json({ prompt_id: PROMPT, number: 'x', node_errors: [] }));
    expect(await submit()).toEqual({ prompt_id: PROMPT, number: -1, node_errors: {} });
  });

  it('the other JSON routes: answers of the wrong shape are unreadable, in words', async () => {
    server.answer('GET /prompt', json({ exec_info: {} }));
    expectTyped(
      (await outcome(client.getQueueRemaining())).error,
      ComfyHttpError,
      /GET \/prompt could not be read: it has no exec_info\.queue_remaining number/,
    );
    server.answer('GET /system_stats', json([]));
    expectTyped(
      (await outcome(client.getSystemStats())).error,
      ComfyHttpError,
      /GET \/system_stats could not be read/,
    );
    server.answer('GET /features', json(null));
    expectTyped(
      (await outcome(client.getFeatures())).error,
      ComfyHttpError,
      /GET \/features could not be read: expected an object, got null/,
    );
    server.answer('POST /upload/image', json({ name: 5 }));
    expectTyped(
      (await outcome(client.uploadImage(Buffer.from([1]), 'a.png'))).error,
      ComfyHttpError,
      /POST \/upload\/image could not be read: it names no uploaded file/,
    );
  });

  it('GET /view: a download cut mid-file errors with a ComfyUnreachableError, whole or streamed', async () => {
    const file = { filename: 'a.png', subfolder: '', type: 'output' };
    server.answer('GET /view', {
      contentType: 'image/png',
      body: Buffer.alloc(200_000, 1),
      mode: 'reset',
    });
    expectTyped(
      (await outcome(client.viewBuffer(file))).error,
      ComfyUnreachableError,
      /could not be reached for \/view/,
    );
    const stream = await client.view(file);
    const read = outcome(
      (async () => {
        for await (const _chunk of stream as unknown as AsyncIterable<Uint8Array>) void _chunk;
      })(),
    );
    expectTyped((await read).error, ComfyUnreachableError, /could not be reached for \/view/);
    server.answer('GET /view', {
      contentType: 'image/png',
      body: Buffer.alloc(1_000, 1),
      mode: 'drip',
    });
    expectTyped(
      (await outcome(impatient.viewBuffer(file))).error,
      ComfyUnreachableError,
      /did not answer \/view in time/,
    );
  });

  for (const seed of SEEDS)
    it(`every answer is read, or refused with a typed error in words (150 mutated answers, seed ${seed})`, async () => {
      const rng = new Rng(seed);
      const calls: [string, () => Promise<unknown>, unknown, (value: unknown) => boolean][] = [
        ['GET /queue', () => client.getQueue(), queueAnswer('a', ['b', 'c']), isQueue],
        [
          'GET /history',
          () => client.getHistoryEntry(PROMPT),
          successHistory(PROMPT),
          (v) => v === undefined || isObject(v),
        ],
        ['GET /object_info', () => client.getObjectInfo(), objectInfoAnswer, isCatalogue],
        [
          'POST /prompt',
          submit,
          { prompt_id: PROMPT, number: 3, node_errors: {} },
          (v) => isObject(v) && v['prompt_id'] === PROMPT,
        ],
        [
          'GET /prompt',
          () => client.getQueueRemaining(),
          { exec_info: { queue_remaining: 2 } },
          (v) => typeof v === 'number',
        ],
      ];
      for (let i = 0; i < 150; i++) {
        const [route, call, real, valid] = rng.pick(calls);
        let answer: Answer;
        let recipe: string;
        const roll = rng.float();
        if (roll < 0.55) {
          const mutated = mutateJson(rng, real);
          answer = { body: safeStringify(mutated.value) };
          recipe = `json: ${mutated.recipe}`;
        } else if (roll < 0.85) {
          const mutated = mutateText(rng, pythonJson(real));
          answer = {
            body: mutated.value,
            contentType: rng.pick(['application/json', 'text/html', 'text/plain', null]),
          };
          recipe = `text: ${mutated.recipe}`;
        } else if (roll < 0.95) {
          answer = { ...json(real), status: rng.pick([201, 400, 404, 500, 502]) };
          recipe = `status ${answer.status}`;
        } else {
          answer = { ...json(real), mode: 'reset' };
          recipe = 'reset';
        }
        server.answer(route, answer);
        const { value, error } = await outcome(call());
        const where = `seed ${seed}, case ${i}, ${route} (${recipe})`;
        if (error) {
          const typed =
            error instanceof ComfyHttpError ||
            error instanceof ComfyUnreachableError ||
            error instanceof PromptIdIgnoredError ||
            error instanceof PromptValidationError;
          if (!typed || crashText.test(error.message) || !/^ComfyUI\b/.test(error.message))
            throw new Error(`${where}: ${error.name}: ${error.message}`);
        } else if (!valid(value))
          throw new Error(`${where}: resolved with ${safeStringify(value).slice(0, 200)}`);
      }
    });
});

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isQueue(value: unknown): boolean {
  if (!isObject(value)) return false;
  return ['queue_running', 'queue_pending'].every(
    (key) =>
      Array.isArray(value[key]) &&
      (value[key] as unknown[]).every(
        (item) => Array.isArray(item) && typeof item[0] === 'number' && typeof item[1] === 'string',
      ),
  );
}

function isCatalogue(value: unknown): boolean {
  return (
    isObject(value) &&
    Object.values(value).every(
      (node) => isObject(node) && isObject(node['input']) && Array.isArray(node['output']),
    )
  );
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return '[[[';
  }
}
