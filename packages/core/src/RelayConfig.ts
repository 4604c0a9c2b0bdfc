import type { BackoffOptions } from './connection/Backoff.js';
import type { GenerationStore } from './generation/GenerationStore.js';
import type { LogLevel } from './util/Logger.js';

/** Credentials of a ComfyUI server behind a proxy with auth: basic, or a bearer token. */
export type BackendAuth = { username: string; password: string } | { token: string };

export interface BackendConfig {
  /** Short name shown to operators (default: host:port). */
  id?: string;
  url: string;
  /** Sent with every HTTP request and the socket's upgrade. */
  auth?: BackendAuth;
}

/** The `authorization` header for a server's credentials. */
export function authorizationOf(auth: BackendAuth): string {
  return 'token' in auth
    ? `Bearer ${auth.token}`
    : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

export interface RelayConfig {
  backends: BackendConfig[];
  /** One client id for the whole process (default: a fresh `comfyrelay-<uuid>`). */
  clientId?: string;
  /** Fail a generation not done by then, queue time included (default 10 minutes; 0 = no deadline). */
  deadlineMs?: number;
  /** How long a submission waits for a ComfyUI server to be reachable (default 10 s). */
  backendWaitMs?: number;
  httpTimeoutMs?: number;
  connection?: {
    backoff?: BackoffOptions;
    deafAfterMs?: number;
    pingIntervalMs?: number;
    openTimeoutMs?: number;
  };
  historyRetryDelayMs?: number;
  cancelConfirmMs?: number;
  /**
   * While generations are in flight, a ComfyUI socket silent for this long is checked against
   * the server's queue to tell a deaf socket from a quiet one (default 2 s). A deaf socket is
   * noticed within about two of these plus `connection.deafAfterMs`.
   */
  silenceCheckMs?: number;
  /** Generations fail when their server stays unreachable this long (default 3 minutes; 0 = wait forever). */
  unreachableGraceMs?: number;
  /**
   * When `unreachableGraceMs` runs out, a generation that had started on that server goes back
   * to comfyrelay's queue instead of failing, to run again from the start on any capable server
   * (its progress starts over; whatever the lost server still says of it is ignored). Once only:
   * one started over already fails in words if its server is lost again. Default false: it
   * fails with a reason.
   */
  retryRunningOnUnreachable?: boolean;
  /**
   * Generations a server holds that never started move to another server once it has been
   * unreachable this long (default 15 s; 0 = never).
   */
  failoverAfterMs?: number;
  /** A server that keeps failing is taken out for a while (default: after 3, for 15 s doubling to 5 min). */
  circuit?: { threshold?: number; cooldownMs?: number; maxCooldownMs?: number };
  /** comfyrelay's own queue in front of the backends. */
  scheduling?: {
    /** Our prompts on one backend at a time (default 2: its GPU never idles). */
    perBackend?: number;
    /** Limits enforced at submit; a limit left out does not apply. */
    limits?: { perUserConcurrent?: number; perUserPerMinute?: number; globalQueued?: number };
    /** Roles (in a request's origin) whose holders go first and have no limits. */
    adminRoles?: string[];
  };
  /** Broadcaster limits for every subscriber. */
  broadcast?: { queueLimit?: number; sendTimeoutMs?: number };
  store?: GenerationStore;
  logLevel?: LogLevel;
}

/** Read the ComfyUI servers from `COMFYUI_URL` (comma-separated for several). */
export function backendsFromEnv(env: NodeJS.ProcessEnv = process.env): BackendConfig[] {
  const value = env['COMFYUI_URL']?.trim();
  if (!value) return [];
  return value
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean)
    .map((url) => ({ url }));
}
