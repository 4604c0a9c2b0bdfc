import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { englishWording } from '../wording/englishWording.js';
import type { Wording } from '../wording/Wording.js';
import {
  ACTION_KINDS,
  type ActionKind,
  type ActionToken,
  type DecodedAction,
} from './ActionToken.js';
import { bytesToUuid, uuidToBytes } from './uuidBytes.js';

export interface ActionCodecOptions {
  /**
   * Signs tokens so a modified client cannot forge one; without it a checksum still catches
   * garbled ones. Keep it across restarts, or every button expires.
   */
  secret?: string | Uint8Array;
  /** Buttons older than this answer "expired" (default: never). */
  maxAgeMs?: number;
  /** The command that brings fresh buttons back (default `show`). */
  showCommand?: string;
  wording?: Wording;
  now?: () => number;
}

/** What every token of ours starts with: adapters route a button press by it. */
export const ACTION_TOKEN_PREFIX = 'cr';

/** Telegram's `callback_data` limit; Discord's `custom_id` allows 100. */
export const MAX_TOKEN_BYTES = 64;

const VERSION = 1;
const MAC_BYTES = 6;
const FIXED_BYTES = 24; // version, action, index, 16 uuid bytes, 4 time bytes, follow-up length
const MAX_FOLLOW_UP = 15;
const FOLLOW_UP = /^[a-z0-9_.-]{1,15}$/;
// Seconds from here fit four bytes until 2160.
const EPOCH_MS = Date.UTC(2024, 0, 1);

/**
 * Button tokens: `cr` + base64url of version, action, image index, the job's 16 UUID bytes,
 * when it was made, an optional action id and a 6-byte MAC. At most 62 characters: within
 * Telegram's 64 bytes of `callback_data`.
 */
export class ActionCodec {
  private readonly key: Buffer | undefined;
  private readonly maxAgeMs: number;
  private readonly wording: Wording;
  private readonly showCommand: string;
  private readonly now: () => number;

  constructor(options: ActionCodecOptions = {}) {
    this.key = options.secret === undefined ? undefined : Buffer.from(options.secret);
    this.maxAgeMs = options.maxAgeMs ?? Infinity;
    this.wording = options.wording ?? englishWording;
    this.showCommand = options.showCommand ?? 'show';
    this.now = options.now ?? Date.now;
  }

  encode(token: { action: ActionKind; jobId: string; index?: number; followUp?: string }): string {
    const index = token.index ?? 0;
    if (!Number.isInteger(index) || index < 0 || index > 255)
      throw new RangeError(`An image index must be 0…255, not ${index}`);
    const followUp = token.followUp ?? '';
    if ((token.action === 'follow-up') !== (followUp !== ''))
      throw new TypeError('A follow-up token, and only one, names its action id');
    if (followUp !== '' && !FOLLOW_UP.test(followUp))
      throw new TypeError(
        `The action id "${followUp}" does not fit a button (a-z0-9_.-, ≤ ${MAX_FOLLOW_UP})`,
      );
    const payload = Buffer.alloc(FIXED_BYTES + followUp.length);
    payload[0] = VERSION;
    payload[1] = ACTION_KINDS.indexOf(token.action) + 1;
    payload[2] = index;
    uuidToBytes(token.jobId).copy(payload, 3);
    payload.writeUInt32BE(Math.max(0, Math.floor((this.now() - EPOCH_MS) / 1000)), 19);
    payload[23] = followUp.length;
    payload.write(followUp, FIXED_BYTES, 'ascii');
    return ACTION_TOKEN_PREFIX + Buffer.concat([payload, this.mac(payload)]).toString('base64url');
  }

  decode(text: string): DecodedAction {
    if (!text.startsWith(ACTION_TOKEN_PREFIX)) return this.refuse('unknown');
    const body = text.slice(ACTION_TOKEN_PREFIX.length);
    if (!/^[A-Za-z0-9_-]+$/.test(body)) return this.refuse('garbled');
    const bytes = Buffer.from(body, 'base64url');
    if (bytes.length < FIXED_BYTES + MAC_BYTES) return this.refuse('garbled');
    if (bytes[0] !== VERSION) return this.refuse(bytes[0]! < VERSION ? 'expired' : 'unknown');
    const payload = bytes.subarray(0, bytes.length - MAC_BYTES);
    const mac = bytes.subarray(bytes.length - MAC_BYTES);
    if (payload.length !== FIXED_BYTES + payload[23]! || !timingSafeEqual(mac, this.mac(payload)))
      return this.refuse('garbled');
    const action = ACTION_KINDS[payload[1]! - 1];
    if (action === undefined) return this.refuse('unknown');
    const followUp = payload.subarray(FIXED_BYTES).toString('ascii');
    if ((action === 'follow-up') !== (followUp !== '')) return this.refuse('garbled');
    const issuedAt = EPOCH_MS + payload.readUInt32BE(19) * 1000;
    if (this.now() - issuedAt > this.maxAgeMs) return this.refuse('expired');
    const token: ActionToken = {
      action,
      jobId: bytesToUuid(payload.subarray(3, 19)),
      index: payload[2]!,
      issuedAt,
    };
    if (followUp !== '') token.followUp = followUp;
    return { ok: true, token };
  }

  private mac(payload: Buffer): Buffer {
    const digest = this.key
      ? createHmac('sha256', this.key).update(payload).digest()
      : createHash('sha256').update(payload).digest();
    return digest.subarray(0, MAC_BYTES);
  }

  private refuse(problem: 'unknown' | 'expired' | 'garbled'): DecodedAction {
    return { ok: false, problem, message: this.wording.buttonExpired(this.showCommand) };
  }
}
