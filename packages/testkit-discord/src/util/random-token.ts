import { randomBytes } from 'node:crypto';

/** An opaque token shaped like Discord's interaction tokens (url-safe base64, long). */
export function randomToken(bytes = 96): string {
  return `aW50ZXJhY3Rpb246${randomBytes(bytes).toString('base64url')}`;
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
