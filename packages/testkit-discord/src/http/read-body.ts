import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {}

/** Reads the whole body; past `limit` bytes it keeps draining but throws at the end. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= limit) chunks.push(buffer);
  }
  if (size > limit) throw new BodyTooLargeError(`request body of ${size} bytes exceeds ${limit}`);
  return Buffer.concat(chunks);
}
