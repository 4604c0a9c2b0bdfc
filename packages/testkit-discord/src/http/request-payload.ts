import type { IncomingMessage } from 'node:http';
import { Errors } from './api-error.js';
import { multipartBoundary, parseMultipart } from './multipart.js';

export interface UploadedFile {
  /** The form field, e.g. 'files[0]'. */
  field: string;
  /** The n of 'files[n]', which the `attachments` array refers to by `id`. */
  index: number;
  filename: string;
  contentType: string | undefined;
  bytes: Buffer;
}

export interface RequestPayload {
  json: unknown;
  files: UploadedFile[];
}

/** A JSON body, or multipart with `payload_json` (or plain fields) and `files[n]` parts. */
export function parseRequestPayload(req: IncomingMessage, body: Buffer): RequestPayload {
  const boundary = multipartBoundary(req.headers['content-type']);
  if (boundary) return parseMultipartPayload(body, boundary);
  if (body.length === 0) return { json: undefined, files: [] };
  try {
    return { json: JSON.parse(body.toString('utf8')), files: [] };
  } catch {
    throw Errors.invalidJson();
  }
}

function parseMultipartPayload(body: Buffer, boundary: string): RequestPayload {
  const files: UploadedFile[] = [];
  let json: Record<string, unknown> | undefined;
  const fields: Record<string, unknown> = {};
  let position = 0;
  for (const part of parseMultipart(body, boundary)) {
    if (part.name === 'payload_json') {
      try {
        json = JSON.parse(part.data.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw Errors.invalidJson();
      }
    } else if (part.filename !== undefined) {
      const indexed = /^files?\[(\d+)\]$/.exec(part.name);
      files.push({
        field: part.name,
        index: indexed ? Number(indexed[1]) : position,
        filename: part.filename,
        contentType: part.contentType,
        bytes: Buffer.from(part.data),
      });
      position += 1;
    } else {
      fields[part.name] = part.data.toString('utf8');
    }
  }
  return { json: json ?? (Object.keys(fields).length > 0 ? fields : undefined), files };
}
