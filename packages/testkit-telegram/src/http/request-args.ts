import { badRequest } from '../api/api-error.js';
import { parseMultipart } from './multipart.js';

export interface Upload {
  /** The multipart field name. */
  field: string;
  filename: string;
  contentType?: string;
  data: Buffer;
}

/** Method parameters as Telegram sees them, whatever the encoding of the request. */
export interface RequestArgs {
  /** Strings from query strings, forms and multipart fields; any JSON type from a JSON body. */
  params: Record<string, unknown>;
  uploads: Map<string, Upload>;
}

/** Merges the query string and the body (JSON, urlencoded or multipart) into one parameter set. */
export function toRequestArgs(
  search: URLSearchParams,
  contentType: string | undefined,
  body: Buffer,
): RequestArgs {
  const args: RequestArgs = { params: Object.fromEntries(search), uploads: new Map() };
  if (body.length === 0) return args;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    Object.assign(args.params, parseJsonBody(body));
  } else if (type === 'application/x-www-form-urlencoded') {
    Object.assign(args.params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  } else if (type === 'multipart/form-data') {
    addMultipart(args, body, boundaryOf(contentType ?? ''));
  }
  return args;
}

function parseJsonBody(body: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest("can't parse JSON encoded request body");
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('JSON request body must be an object');
  }
  return value as Record<string, unknown>;
}

function boundaryOf(contentType: string): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw badRequest('multipart boundary is missing');
  return boundary;
}

function addMultipart(args: RequestArgs, body: Buffer, boundary: string): void {
  let parts;
  try {
    parts = parseMultipart(body, boundary);
  } catch (error) {
    throw badRequest(`can't parse multipart/form-data: ${(error as Error).message}`);
  }
  for (const part of parts) {
    if (part.filename === undefined) {
      args.params[part.name] = part.data.toString('utf8');
      continue;
    }
    const upload: Upload = { field: part.name, filename: part.filename, data: part.data };
    if (part.contentType !== undefined) upload.contentType = part.contentType;
    args.uploads.set(part.name, upload);
  }
}
