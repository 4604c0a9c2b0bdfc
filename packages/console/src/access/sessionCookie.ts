import { createHmac } from 'node:crypto';

export const SESSION_COOKIE = 'comfyrelay_console';

/**
 * The cookie a login sets: derived from the token, so the token itself is never stored in the
 * browser, every console process with the same token accepts it, and changing the token logs
 * everyone out.
 */
export function sessionValueFor(accessToken: string): string {
  return createHmac('sha256', accessToken)
    .update('comfyrelay console session v1')
    .digest('base64url');
}

/** One cookie's value from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1) continue;
    if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

export function sessionCookieHeader(value: string): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${30 * 24 * 3600}`;
}

export function clearedSessionCookieHeader(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
