import { createHash } from 'node:crypto';
import type { HeaderMap } from '../http/respond.js';

/** Discord's bucket ids are opaque hashes; a stable one per bucket name does the same job. */
export function bucketHash(bucket: string): string {
  return createHash('sha1').update(`fake-discord:${bucket}`).digest('hex').slice(0, 32);
}

export function bucketHeaders(
  bucket: string,
  limit: number,
  remaining: number,
  resetAt: number,
  now: number,
): HeaderMap {
  return {
    'X-RateLimit-Limit': String(limit),
    'X-RateLimit-Remaining': String(remaining),
    'X-RateLimit-Reset': (resetAt / 1000).toFixed(3),
    'X-RateLimit-Reset-After': (Math.max(0, resetAt - now) / 1000).toFixed(3),
    'X-RateLimit-Bucket': bucketHash(bucket),
  };
}

/** Retry-After is whole seconds, rounded up; the body's retry_after has the fraction. */
export function retryAfterHeaders(retryAfterMs: number, scope: string, global: boolean): HeaderMap {
  return {
    'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
    'X-RateLimit-Scope': scope,
    ...(global ? { 'X-RateLimit-Global': 'true' } : {}),
  };
}
