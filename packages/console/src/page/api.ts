import type { ErrorBody } from './wire.js';

export type Answer<T> =
  { ok: true; status: number; body: T } | { ok: false; status: number; body: ErrorBody };

/** The console's JSON API, same origin (the session cookie goes along). A 401 means log in again. */
export async function call<T>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 401) {
    location.assign(`/login?next=${encodeURIComponent(location.pathname)}`);
  }
  const parsed: unknown = await response.json().catch(() => ({
    error: 'bad-answer',
    message: `The console answered ${response.status} without JSON.`,
  }));
  return response.ok
    ? { ok: true, status: response.status, body: parsed as T }
    : { ok: false, status: response.status, body: parsed as ErrorBody };
}

/** GET that throws on failure: for data the page cannot do without. */
export async function load<T>(path: string): Promise<T> {
  const answer = await call<T>('GET', path);
  if (!answer.ok) throw new Error(answer.body.message);
  return answer.body;
}

export function outputUrl(id: string, index: number): string {
  return `/api/generations/${encodeURIComponent(id)}/outputs/${index}`;
}

export function previewUrl(id: string): string {
  return `/api/generations/${encodeURIComponent(id)}/preview`;
}
