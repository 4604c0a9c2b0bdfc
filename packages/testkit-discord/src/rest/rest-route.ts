import type { IncomingHttpHeaders } from 'node:http';
import type { UploadedFile } from '../http/request-payload.js';
import type { HeaderMap } from '../http/respond.js';
import type { BucketName } from '../rate-limits/bucket-limits.js';

export interface RestRequest {
  method: string;
  /** Without the /api/v10 prefix. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  json: unknown;
  files: UploadedFile[];
}

export interface RestResponse {
  status: number;
  /** JSON; omitted for 204. */
  body?: unknown;
  /** Raw bytes instead of JSON (the CDN route). */
  bytes?: { data: Buffer; contentType: string };
  headers?: HeaderMap;
}

export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** '/channels/{channel}/messages'. */
  template: string;
  /** 'bot': needs `Authorization: Bot <token>`; 'none': webhook tokens, the CDN. */
  auth: 'bot' | 'none';
  /** Undefined: no per-route limit (interaction callbacks, the CDN). */
  bucket: BucketName | undefined;
  handle(request: RestRequest): RestResponse | Promise<RestResponse>;
}

export const ok = (body: unknown): RestResponse => ({ status: 200, body });
export const created = (body: unknown): RestResponse => ({ status: 201, body });
export const noContent = (): RestResponse => ({ status: 204 });

export function jsonObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
