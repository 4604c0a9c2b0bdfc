import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { isLoopbackAddress } from './isLoopbackAddress.js';
import { readCookie, SESSION_COOKIE, sessionValueFor } from './sessionCookie.js';

/** What the policy reads of a request (an HTTP request or a WebSocket upgrade alike). */
export interface AccessRequest {
  /** The TCP peer's address. */
  peerAddress: string | undefined;
  authorization: string | undefined;
  cookie: string | undefined;
  host: string | undefined;
  origin: string | undefined;
}

export type AccessDecision =
  { allowed: true } | { allowed: false; status: 401 | 403; reason: string };

/**
 * Who may use the console, its API, the event stream and /metrics. Without an access token:
 * loopback peers only. With one: anyone presenting it (Authorization: Bearer, or the session
 * cookie a login sets), loopback included.
 */
export class AccessPolicy {
  readonly #tokenDigest: Buffer | undefined;
  readonly #sessionDigest: Buffer | undefined;

  constructor(accessToken: string | undefined) {
    if (accessToken !== undefined && accessToken.trim() === '')
      throw new RangeError('the console access token must not be empty');
    this.#tokenDigest = accessToken === undefined ? undefined : digest(accessToken);
    this.#sessionDigest =
      accessToken === undefined ? undefined : digest(sessionValueFor(accessToken));
  }

  get tokenRequired(): boolean {
    return this.#tokenDigest !== undefined;
  }

  check(request: AccessRequest): AccessDecision {
    if (!sameOrigin(request))
      return {
        allowed: false,
        status: 403,
        reason: `Requests from another site (${request.origin ?? '?'}) are refused.`,
      };
    if (!this.tokenRequired) return this.#checkLoopback(request);
    if (this.#presentsToken(request)) return { allowed: true };
    return {
      allowed: false,
      status: 401,
      reason:
        'An access token is required: send "Authorization: Bearer <token>", or log in at /login.',
    };
  }

  /** Whether a token typed into the login form is the configured one. */
  tokenMatches(candidate: string): boolean {
    return this.#tokenDigest !== undefined && timingSafeEqual(digest(candidate), this.#tokenDigest);
  }

  #presentsToken(request: AccessRequest): boolean {
    const bearer = /^Bearer\s+(.+)$/i.exec(request.authorization ?? '')?.[1]?.trim();
    if (bearer !== undefined && this.tokenMatches(bearer)) return true;
    const session = readCookie(request.cookie, SESSION_COOKIE);
    return (
      session !== undefined &&
      this.#sessionDigest !== undefined &&
      timingSafeEqual(digest(session), this.#sessionDigest)
    );
  }

  #checkLoopback(request: AccessRequest): AccessDecision {
    if (!isLoopbackAddress(request.peerAddress))
      return {
        allowed: false,
        status: 403,
        reason: `The console answers only on loopback (this request came from ${request.peerAddress ?? 'an unknown address'}); configure an access token to open it to the network.`,
      };
    // A web page whose name an attacker re-pointed at 127.0.0.1 (DNS rebinding) would be on
    // loopback too, under a name of its own: only loopback names and plain addresses are ours.
    if (!isLocalHostName(hostnameOf(request.host)))
      return {
        allowed: false,
        status: 403,
        reason: `The console does not answer to the name ${request.host ?? '(none)'} without an access token; use 127.0.0.1 or localhost.`,
      };
    return { allowed: true };
  }
}

// Equal-length inputs for timingSafeEqual, whatever the candidate's length.
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Browsers send Origin on cross-site requests and on every WebSocket: it must name this host. */
function sameOrigin(request: AccessRequest): boolean {
  if (request.origin === undefined) return true;
  try {
    return new URL(request.origin).host === request.host;
  } catch {
    return false;
  }
}

function hostnameOf(host: string | undefined): string {
  if (host === undefined) return '';
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

function isLocalHostName(hostname: string): boolean {
  const name = hostname.toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || isIP(name) !== 0;
}
