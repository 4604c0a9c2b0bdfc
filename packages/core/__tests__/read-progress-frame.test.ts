import { describe, expect, it } from 'vitest';
import { readProgressFrame } from '../src/connection/readProgressFrame.js';

/** What the fast path must agree with: JSON.parse, or nothing (then JSON.parse reads it). */
function agreesWithJsonParse(text: string): void {
  const read = readProgressFrame(Buffer.from(text, 'utf8'));
  if (read === undefined) return;
  const parsed = JSON.parse(text) as unknown;
  expect(read).toEqual(parsed);
  expect(JSON.stringify(read)).toBe(JSON.stringify(parsed));
}

const python = (value: string, max: string, promptId: string, node: string) =>
  `{"type": "progress", "data": {"value": ${value}, "max": ${max}, "prompt_id": "${promptId}", "node": "${node}"}}`;
const compact = (value: string, max: string, promptId: string, node: string) =>
  `{"type":"progress","data":{"value":${value},"max":${max},"prompt_id":"${promptId}","node":"${node}"}}`;

describe('readProgressFrame: a progress frame read from its bytes', () => {
  const id = '3f5e2a9c-1b7d-4c1e-9f55-0a1b2c3d4e5f';

  it("reads ComfyUI's spelling and JSON.stringify's, exactly as JSON.parse does", () => {
    for (const spell of [python, compact]) {
      const text = spell('3', '20', id, '3');
      expect(readProgressFrame(Buffer.from(text))).toEqual({
        type: 'progress',
        data: { value: 3, max: 20, prompt_id: id, node: '3' },
      });
      agreesWithJsonParse(text);
      agreesWithJsonParse(spell('0', '1', id, '12:34'));
      agreesWithJsonParse(spell('999999999999999', '999999999999999', id, '7'));
    }
  });

  it('leaves to JSON.parse whatever it cannot read for certain', () => {
    const refused = [
      python('3.5', '20', id, '3'), // not an integer
      python('-1', '20', id, '3'), // negative
      python('03', '20', id, '3'), // leading zero (not JSON)
      python('1e3', '20', id, '3'), // exponent
      python('1234567890123456', '20', id, '3'), // more digits than a double holds exactly
      python('3', '20', 'a\\"b', '3'), // an escape
      python('3', '20', 'caf\u00e9', '3'), // non-ASCII
      python('3', '20', id, '3') + ' ', // trailing space
      python('3', '20', id, '3').replace('}}', ', "extra": 1}}'), // another field
      `{"type": "progress", "data": {"max": 20, "value": 3, "prompt_id": "${id}", "node": "3"}}`, // order
      `{"type": "progress", "data": {"value": 3, "max": 20, "node": "3"}}`, // no prompt_id
      `{"type": "progress_state", "data": {"prompt_id": "${id}", "nodes": {}}}`,
      python('3', '20', id, '3').slice(0, -1), // truncated
    ];
    for (const text of refused)
      expect(readProgressFrame(Buffer.from(text, 'utf8'))).toBeUndefined();
  });

  it('agrees with JSON.parse on every prefix and on one-byte changes of a real frame', () => {
    const text = python('7', '20', id, '3');
    for (let end = 0; end <= text.length; end++) {
      const prefix = text.slice(0, end);
      const read = readProgressFrame(Buffer.from(prefix));
      if (end < text.length) expect(read).toBeUndefined();
    }
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; at++) {
      for (const replacement of [0x20, 0x22, 0x30, 0x39, 0x5c, 0x7d, 0xc3]) {
        const changed = Buffer.from(bytes);
        changed[at] = replacement;
        const read = readProgressFrame(changed);
        if (read === undefined) continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(changed.toString('utf8'));
        } catch {
          throw new Error(`read a frame JSON.parse refuses: ${changed.toString('utf8')}`);
        }
        expect(read).toEqual(parsed);
      }
    }
  });
});
