import type { ServerResponse } from 'node:http';

export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': payload.length,
  });
  res.end(payload);
}

export function writeNotFound(res: ServerResponse): void {
  writeJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
}
