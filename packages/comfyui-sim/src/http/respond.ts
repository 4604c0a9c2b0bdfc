import type { ServerResponse } from 'node:http';
import { pyJson } from '../util/py-json.js';

/** aiohttp's web.json_response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(pyJson(body), 'utf8');
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': payload.length,
  });
  res.end(payload);
}

/** aiohttp's bare web.Response(status=…): no body, octet-stream content type. */
export function sendEmpty(res: ServerResponse, status = 200): void {
  res.writeHead(status, { 'Content-Type': 'application/octet-stream', 'Content-Length': 0 });
  res.end();
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  const payload = Buffer.from(text, 'utf8');
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': payload.length });
  res.end(payload);
}

/** What aiohttp answers when a handler raises (e.g. on a malformed JSON body). */
export function sendInternalError(res: ServerResponse): void {
  sendText(res, 500, '500 Internal Server Error\n\nServer got itself in trouble');
}
