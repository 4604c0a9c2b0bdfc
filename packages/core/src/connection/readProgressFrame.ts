import type { ProgressMessage } from '../protocol/messages.js';

/** The two spellings read here: Python's `json.dumps` (ComfyUI) and `JSON.stringify`. */
const spellings = [
  {
    start: bytes('{"type": "progress", "data": {"value": '),
    max: bytes(', "max": '),
    promptId: bytes(', "prompt_id": "'),
    node: bytes(', "node": "'),
  },
  {
    start: bytes('{"type":"progress","data":{"value":'),
    max: bytes(',"max":'),
    promptId: bytes(',"prompt_id":"'),
    node: bytes(',"node":"'),
  },
];

function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Longest run of digits read here: every integer up to 15 digits is exact in a double. */
const MAX_DIGITS = 15;

/**
 * A `progress` frame read straight from its bytes, when it is spelt the way ComfyUI (or a
 * server using `JSON.stringify`) spells it: `{"type": "progress", "data": {"value": 3, "max": 20,
 * "prompt_id": "…", "node": "3"}}` — one per sampler step, the most common frame by far.
 * Anything else (another spelling or order, other fields, escapes, non-ASCII text, numbers that
 * are not plain integers, trailing space) is left to `JSON.parse`: undefined. What this returns
 * is exactly what `JSON.parse` makes of the same frame, field order included.
 */
export function readProgressFrame(frame: Buffer): ProgressMessage | undefined {
  if (frame.length < 40 || frame[1] !== 0x22) return undefined;
  for (const spelling of spellings) {
    let at = expect(frame, 0, spelling.start);
    if (at < 0) continue;
    const value = integerAt(frame, at);
    if (value === undefined) return undefined;
    at = expect(frame, value.end, spelling.max);
    if (at < 0) return undefined;
    const max = integerAt(frame, at);
    if (max === undefined) return undefined;
    at = expect(frame, max.end, spelling.promptId);
    if (at < 0) return undefined;
    const promptId = stringAt(frame, at);
    if (promptId === undefined) return undefined;
    at = expect(frame, promptId.end, spelling.node);
    if (at < 0) return undefined;
    const node = stringAt(frame, at);
    if (node === undefined) return undefined;
    at = node.end;
    if (at + 2 !== frame.length || frame[at] !== 0x7d || frame[at + 1] !== 0x7d) return undefined;
    return {
      type: 'progress',
      data: { value: value.value, max: max.value, prompt_id: promptId.text, node: node.text },
    };
  }
  return undefined;
}

/** Where `expected` ends when it is at `at`, or -1. */
function expect(frame: Uint8Array, at: number, expected: Uint8Array): number {
  if (at + expected.length > frame.length) return -1;
  for (let i = 0; i < expected.length; i++) if (frame[at + i] !== expected[i]) return -1;
  return at + expected.length;
}

/** A JSON integer that is not negative (`0`, or digits not led by 0) and where it ends. */
function integerAt(frame: Uint8Array, at: number): { value: number; end: number } | undefined {
  let value = 0;
  let end = at;
  for (; end < frame.length; end++) {
    const byte = frame[end]!;
    if (byte < 0x30 || byte > 0x39) break;
    value = value * 10 + (byte - 0x30);
  }
  const digits = end - at;
  if (digits === 0 || digits > MAX_DIGITS || (digits > 1 && frame[at] === 0x30)) return undefined;
  return { value, end };
}

/** The text of a string whose opening quote is just before `at` (printable ASCII, no escape). */
function stringAt(frame: Buffer, at: number): { text: string; end: number } | undefined {
  for (let end = at; end < frame.length; end++) {
    const byte = frame[end]!;
    // ASCII only: its bytes are its characters, whatever the encoding it is read with.
    if (byte === 0x22) return { text: frame.toString('latin1', at, end), end: end + 1 };
    if (byte < 0x20 || byte > 0x7e || byte === 0x5c) return undefined;
  }
  return undefined;
}
