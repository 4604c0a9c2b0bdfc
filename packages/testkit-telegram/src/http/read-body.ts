import type { IncomingMessage } from 'node:http';

export type BodyResult = { body: Buffer } | { tooLarge: true };

/**
 * Reads the whole body. Past `maxBytes` it keeps draining without storing, so the client finishes
 * sending and can read the 413 answer instead of seeing a reset connection.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () =>
      resolve(size > maxBytes ? { tooLarge: true } : { body: Buffer.concat(chunks) }),
    );
    req.on('error', reject);
  });
}
