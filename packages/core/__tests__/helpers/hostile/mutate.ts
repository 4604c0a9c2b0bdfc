import type { Rng } from './prng.js';

/**
 * Mutators of real ComfyUI material: JSON values (replace a value with another JSON type, drop
 * or add fields, nest deeply, very long strings), their text (flip, truncate, splice) and binary
 * frames (header fields, lengths beyond the frame, garbage). Each returns what it did, so a
 * failing case can be read as well as replayed from its seed.
 */

export interface Mutated<T> {
  value: T;
  recipe: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON value nested `depth` levels deep (arrays or objects). */
export function deepNest(depth: number, leaf: Json = 1, asObject = false): Json {
  let value: Json = leaf;
  for (let i = 0; i < depth; i++) value = asObject ? { a: value } : [value];
  return value;
}

/** Another JSON value, of any type: what a server gone wrong may put anywhere. */
export function randomJson(rng: Rng, budget = 3): Json {
  switch (rng.int(budget > 0 ? 16 : 11)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 1, 2 ** 53, -(2 ** 53), 1e308, -1e308, 0.5, 3.25, 1e-300]);
    case 3:
      return rng.pick([
        '',
        '3',
        'x',
        'null',
        '{}',
        'NaN',
        '__proto__',
        'constructor',
        '\u0000',
        '☃',
      ]);
    case 4:
      return 'x'.repeat(rng.pick([1_025, 10_000, 200_000]));
    case 5:
      return [];
    case 6:
      return {};
    case 7:
      return rng.int(100);
    case 8:
      return String(rng.int(100));
    case 9:
      return rng.pick(['success', 'error', 'output', 'temp', 'image/png', 'running']);
    case 10:
      return deepNest(rng.pick([50, 500, 5_000]), null, rng.chance(0.5));
    case 11:
      return [randomJson(rng, budget - 1), randomJson(rng, budget - 1)];
    case 12:
      return {
        [rng.pick(['a', 'prompt_id', 'node', '__proto__', 'images'])]: randomJson(rng, budget - 1),
      };
    case 13:
      return Array.from({ length: rng.pick([3, 1_000]) }, () => rng.int(10));
    case 14:
      return {
        filename: randomJson(rng, 0),
        subfolder: randomJson(rng, 0),
        type: randomJson(rng, 0),
      };
    default:
      return [rng.int(5), `id-${rng.int(5)}`];
  }
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Every (container, key) inside a value, the root's children first. */
function slots(root: Json): [Json[] | Record<string, Json>, string | number][] {
  const found: [Json[] | Record<string, Json>, string | number][] = [];
  const walk = (value: Json, depth: number) => {
    if (depth > 8 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        found.push([value, i]);
        walk(item, depth + 1);
      });
    } else {
      for (const key of Object.keys(value)) {
        found.push([value, key]);
        walk(value[key]!, depth + 1);
      }
    }
  };
  walk(root, 0);
  return found;
}

const structuralOps = ['retype', 'drop', 'add', 'nest', 'long', 'swap'] as const;

/** One to three structural changes to a JSON value. */
export function mutateJson(rng: Rng, value: unknown): Mutated<unknown> {
  let root = clone(value) as Json;
  const steps: string[] = [];
  const count = rng.between(1, 3);
  for (let n = 0; n < count; n++) {
    const places = slots(root);
    const op = rng.pick(structuralOps);
    if (places.length === 0 || rng.chance(0.04)) {
      root = randomJson(rng);
      steps.push('root→other');
      continue;
    }
    const [container, key] = rng.pick(places);
    const set = (v: Json) => {
      (container as Record<string | number, Json>)[key] = v;
    };
    const current = (container as Record<string | number, Json>)[key]!;
    switch (op) {
      case 'retype':
        set(randomJson(rng));
        steps.push(`retype ${String(key)}`);
        break;
      case 'drop':
        if (Array.isArray(container)) container.splice(Number(key), 1);
        else delete container[key as string];
        steps.push(`drop ${String(key)}`);
        break;
      case 'add': {
        const name = rng.pick([
          'prompt_id',
          'node',
          'output',
          'status',
          'extra',
          '__proto__',
          'value',
        ]);
        if (Array.isArray(container)) container.push(randomJson(rng));
        else
          Object.defineProperty(container, name, {
            value: randomJson(rng),
            enumerable: true,
            configurable: true,
            writable: true,
          });
        steps.push(`add ${name}`);
        break;
      }
      case 'nest':
        set(deepNest(rng.pick([2, 64, 2_000]), current, rng.chance(0.5)));
        steps.push(`nest ${String(key)}`);
        break;
      case 'long':
        set(
          typeof current === 'string' && current.length < 100
            ? current.repeat(rng.pick([100, 5_000]))
            : 'y'.repeat(50_000),
        );
        steps.push(`long ${String(key)}`);
        break;
      case 'swap':
        set(
          rng.pick([
            null,
            0,
            '',
            [],
            {},
            'p-other',
            typeof current === 'string' ? current.slice(0, 3) : 'abc',
          ]),
        );
        steps.push(`swap ${String(key)}`);
        break;
    }
  }
  return { value: root, recipe: steps.join(', ') };
}

const textOps = [
  'truncate',
  'flip',
  'splice',
  'cut',
  'double',
  'wrap',
  'garbage',
  'empty',
  'nan',
] as const;

/** A change to a frame's text: what a broken proxy or a buggy custom node does to JSON. */
export function mutateText(
  rng: Rng,
  text: string,
  others: readonly string[] = [],
): Mutated<string> {
  const op = rng.pick(textOps);
  const at = rng.int(text.length + 1);
  switch (op) {
    case 'truncate':
      return { value: text.slice(0, at), recipe: `truncate@${at}` };
    case 'flip': {
      const char = rng.pick([
        '"',
        '{',
        '}',
        '[',
        ']',
        ',',
        ':',
        '\\',
        'x',
        '0',
        ' ',
        '\u0000',
        '\ud800',
      ]);
      return {
        value: text.slice(0, at) + char + text.slice(at + 1),
        recipe: `flip@${at}=${JSON.stringify(char)}`,
      };
    }
    case 'splice': {
      const other = others.length > 0 ? rng.pick(others) : text;
      const from = rng.int(other.length);
      const piece = other.slice(from, from + rng.between(1, 40));
      return { value: text.slice(0, at) + piece + text.slice(at), recipe: `splice@${at}` };
    }
    case 'cut': {
      const end = Math.min(text.length, at + rng.between(1, 20));
      return { value: text.slice(0, at) + text.slice(end), recipe: `cut@${at}..${end}` };
    }
    case 'double':
      return { value: text + text, recipe: 'double' };
    case 'wrap':
      return { value: `[${text}]`, recipe: 'wrap in a list' };
    case 'garbage':
      return { value: rng.bytes(rng.between(0, 64)).toString('latin1'), recipe: 'random bytes' };
    case 'empty':
      return { value: '', recipe: 'empty' };
    case 'nan':
      return {
        value: text.replace(/\d+/, rng.pick(['NaN', 'Infinity', '-Infinity', '1e999'])),
        recipe: 'python NaN',
      };
  }
}

/** A change to a binary frame: event number, length fields, truncation, garbage. */
export function mutateBinary(rng: Rng, frame: Buffer): Mutated<Buffer> {
  const out = Buffer.from(frame);
  switch (rng.int(8)) {
    case 0: {
      const at = rng.int(out.length + 1);
      return { value: out.subarray(0, at), recipe: `truncate@${at}` };
    }
    case 1: {
      const flips = rng.between(1, 4);
      for (let i = 0; i < flips && out.length > 0; i++) out[rng.int(out.length)] = rng.int(256);
      return { value: out, recipe: `flip ${flips} bytes` };
    }
    case 2: {
      if (out.length < 4) return { value: out, recipe: 'as is' };
      const event = rng.pick([0, 1, 2, 3, 4, 5, 99, 0xffffffff]);
      out.writeUInt32BE(event >>> 0, 0);
      return { value: out, recipe: `event ${event}` };
    }
    case 3: {
      if (out.length < 8) return { value: out, recipe: 'as is' };
      const length = rng.pick([
        0,
        out.length - 8,
        out.length - 7,
        out.length,
        0x7fffffff,
        0xffffffff,
        rng.int(64),
      ]);
      out.writeUInt32BE(Math.max(0, length) >>> 0, 4);
      return { value: out, recipe: `length ${length}` };
    }
    case 4:
      return { value: rng.bytes(rng.between(0, 12)), recipe: 'short garbage' };
    case 5: {
      // Event 4 with metadata that is not what ComfyUI writes.
      const meta = Buffer.from(
        rng.pick([
          '{"prompt_id": 5}',
          '[1,2]',
          'null',
          '{"prompt_id":',
          '"x"',
          '{}',
          '{"image_type": {"a": 1}}',
          '{"prompt_id": ""}',
        ]),
      );
      const tail = rng.chance(0.5) ? Buffer.from([1, 2, 3]) : Buffer.alloc(0);
      return {
        value: Buffer.concat([header(4, meta.length), meta, tail]),
        recipe: `event 4 meta ${meta.toString()}`,
      };
    }
    case 6:
      return {
        value: Buffer.concat([out, rng.bytes(rng.between(1, 32))]),
        recipe: 'trailing garbage',
      };
    default:
      return {
        value: Buffer.concat([header(rng.pick([1, 3, 4]), rng.int(16)), rng.bytes(rng.int(24))]),
        recipe: 'random payload',
      };
  }
}

function header(event: number, length: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(event >>> 0, 0);
  b.writeUInt32BE(length >>> 0, 4);
  return b;
}

export interface FuzzFrame {
  data: string | Buffer;
  binary: boolean;
  recipe: string;
}

/**
 * `count` frames from real ones: mostly structural mutations (the frame still parses, with
 * wrong types or missing fields), then text and binary mutations, a few untouched, a few huge.
 */
export function fuzzFrames(
  rng: Rng,
  count: number,
  messages: readonly unknown[],
  binaries: readonly Buffer[],
  options: { huge?: boolean } = {},
): FuzzFrame[] {
  const texts = messages.map((m) => JSON.stringify(m));
  const frames: FuzzFrame[] = [];
  // A few multi-megabyte frames are enough: more only make the run slower.
  let huge = options.huge ? 4 : 0;
  for (let i = 0; i < count; i++) {
    const roll = rng.float();
    if (roll < 0.45) {
      const { value, recipe } = mutateJson(rng, rng.pick(messages));
      let text: string;
      try {
        text = JSON.stringify(value) ?? 'undefined';
      } catch {
        text = '[[[[';
      }
      frames.push({ data: text, binary: false, recipe: `json: ${recipe}` });
    } else if (roll < 0.7) {
      const { value, recipe } = mutateText(rng, rng.pick(texts), texts);
      frames.push({ data: value, binary: false, recipe: `text: ${recipe}` });
    } else if (roll < 0.72) {
      // Text frames are not UTF-8-checked on the way in (`skipUTF8Validation`): send some that are not.
      frames.push({
        data: Buffer.concat([Buffer.from('{"type": "'), rng.bytes(rng.between(1, 24))]),
        binary: false,
        recipe: 'text: invalid utf-8',
      });
    } else if (roll < 0.93) {
      const { value, recipe } = mutateBinary(rng, rng.pick(binaries));
      frames.push({ data: value, binary: true, recipe: `binary: ${recipe}` });
    } else if (roll < 0.99 || huge === 0) {
      frames.push({ data: rng.pick(texts), binary: false, recipe: 'real' });
    } else if ((huge -= 1) % 2 === 0) {
      const size = rng.pick([1, 4]) * 1024 * 1024;
      frames.push({
        data: `{"type": "progress", "data": {"value": 1, "max": 2, "node": "${'n'.repeat(size)}"}}`,
        binary: false,
        recipe: `huge text ${size}`,
      });
    } else {
      const size = rng.pick([1, 6]) * 1024 * 1024;
      frames.push({
        data: Buffer.concat([header(1, 1), Buffer.alloc(size, 7)]),
        binary: true,
        recipe: `huge binary ${size}`,
      });
    }
  }
  return frames;
}
