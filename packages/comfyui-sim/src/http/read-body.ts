import type { IncomingMessage } from 'node:http';

/** ComfyUI's --max-upload-size default (100 MiB). */
export const MAX_BODY_BYTES = 100 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

/** Raised where aiohttp's request.json() raises: the handler answers 500. */
export class MalformedJsonError extends Error {}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError(`body exceeds ${limit} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = (await readBody(req)).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedJsonError('Expecting value: line 1 column 1 (char 0)');
  }
}
