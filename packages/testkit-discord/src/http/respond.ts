import type { ServerResponse } from 'node:http';

export type HeaderMap = Record<string, string>;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: HeaderMap = {},
): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': payload.length,
  });
  res.end(payload);
}

export function sendNoContent(res: ServerResponse, headers: HeaderMap = {}): void {
  res.writeHead(204, headers);
  res.end();
}

export function sendBytes(
  res: ServerResponse,
  status: number,
  bytes: Buffer,
  contentType: string,
  headers: HeaderMap = {},
): void {
  res.writeHead(status, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': bytes.length,
  });
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}
