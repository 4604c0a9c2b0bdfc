import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ACTION_KINDS, ActionCodec, byteLength, MAX_TOKEN_BYTES } from '../src/index.js';
import { JOB_ID } from './helpers/records.js';

const EXPIRED = 'This button has expired; use /show <job> to get fresh ones.';

describe('action tokens', () => {
  const now = Date.UTC(2026, 4, 1, 12, 0, 0);
  const codec = new ActionCodec({ now: () => now });

  it('round-trip every action with its job and image index, within 64 bytes', () => {
    for (const action of ACTION_KINDS) {
      for (const index of [0, 3, 255]) {
        const followUp = action === 'follow-up' ? 'zoom-out.2x_big' : undefined;
        const jobId = randomUUID();
        const token = codec.encode({ action, jobId, index, ...(followUp ? { followUp } : {}) });
        expect(byteLength(token), `${action} ${index}`).toBeLessThanOrEqual(MAX_TOKEN_BYTES);
        expect(token).toMatch(/^cr[A-Za-z0-9_-]+$/);
        expect(codec.decode(token)).toEqual({
          ok: true,
          token: { action, jobId, index, issuedAt: now, ...(followUp ? { followUp } : {}) },
        });
      }
    }
  });

  it('refuse what does not fit a token', () => {
    expect(() => codec.encode({ action: 'pick', jobId: 'job-7' })).toThrow(TypeError);
    expect(() => codec.encode({ action: 'pick', jobId: JOB_ID, index: 256 })).toThrow(RangeError);
    expect(() => codec.encode({ action: 'follow-up', jobId: JOB_ID })).toThrow(TypeError);
    expect(() =>
      codec.encode({ action: 'follow-up', jobId: JOB_ID, followUp: 'a-much-too-long-action-id' }),
    ).toThrow(TypeError);
    expect(() => codec.encode({ action: 'reroll', jobId: JOB_ID, followUp: 'x' })).toThrow(
      TypeError,
    );
  });

  it('answer a garbled, foreign or forged button with the expired message', () => {
    const token = codec.encode({ action: 'variation', jobId: JOB_ID, index: 2 });
    const flipped = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
    for (const [text, problem] of [
      [flipped, 'garbled'],
      [token.slice(0, -3), 'garbled'],
      [token + 'AA', 'garbled'],
      ['cr!!not base64', 'garbled'],
      ['', 'unknown'],
      ['vote:42', 'unknown'],
    ] as const) {
      expect(codec.decode(text), text).toEqual({ ok: false, problem, message: EXPIRED });
    }
    const signed = new ActionCodec({ secret: 'bot secret', now: () => now });
    const forged = new ActionCodec({ secret: 'guess', now: () => now });
    const genuine = signed.encode({ action: 'delete', jobId: JOB_ID });
    expect(signed.decode(genuine).ok).toBe(true);
    expect(signed.decode(forged.encode({ action: 'delete', jobId: JOB_ID }))).toMatchObject({
      ok: false,
      problem: 'garbled',
    });
    expect(codec.decode(genuine)).toMatchObject({ ok: false, problem: 'garbled' });
  });

  it('expire buttons older than the configured age', () => {
    let clock = now;
    const aging = new ActionCodec({ maxAgeMs: 60_000, now: () => clock, showCommand: 'show' });
    const token = aging.encode({ action: 'reroll', jobId: JOB_ID });
    clock += 60_000;
    expect(aging.decode(token).ok).toBe(true);
    clock += 1_000;
    expect(aging.decode(token)).toEqual({ ok: false, problem: 'expired', message: EXPIRED });
  });
});
