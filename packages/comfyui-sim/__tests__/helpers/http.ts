import type { ComfySimulator } from '../../src/index.js';

export interface JsonResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
  contentType: string | null;
}

export async function request(
  sim: ComfySimulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<JsonResponse> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${sim.url}${path}`, init);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return {
    status: response.status,
    body: parsed,
    text,
    contentType: response.headers.get('content-type'),
  };
}

export const getJson = (sim: ComfySimulator, path: string): Promise<JsonResponse> =>
  request(sim, 'GET', path);
export const postJson = (
  sim: ComfySimulator,
  path: string,
  body?: unknown,
): Promise<JsonResponse> => request(sim, 'POST', path, body);

/** POSTs a prompt and returns the answer body; fails the test on a non-200. */
export async function queuePrompt(
  sim: ComfySimulator,
  body: Record<string, unknown>,
): Promise<{ prompt_id: string; number: number; node_errors: Record<string, unknown> }> {
  const response = await postJson(sim, '/prompt', body);
  if (response.status !== 200)
    throw new Error(`POST /prompt -> ${response.status} ${response.text}`);
  return response.body;
}
