import { isIP } from 'node:net';

/**
 * Whether a TCP peer address is loopback: 127.0.0.0/8 or ::1, also written IPv4-mapped
 * (`::ffff:127.0.0.1`) as a dual-stack listener reports it. Only the socket's address counts:
 * headers such as X-Forwarded-For are whatever the client wrote.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const lower = address.toLowerCase();
  const v4 = lower.startsWith('::ffff:') ? lower.slice('::ffff:'.length) : lower;
  if (isIP(v4) === 4) return v4.split('.')[0] === '127';
  return isIP(lower) === 6 && lower === '::1';
}
