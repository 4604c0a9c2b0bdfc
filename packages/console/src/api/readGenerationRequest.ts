import type { ImageInput } from '@comfyrelay/core';

/** What the Try-it form posts to /api/generations. */
export interface GenerationRequest {
  workflow: string;
  values: Record<string, unknown>;
}

/** An image travels in JSON as base64. */
interface EncodedImage {
  filename: string;
  base64: string;
}

/** Reads and checks the JSON body; throws a `RequestProblem` with words for the caller. */
export function readGenerationRequest(body: unknown): GenerationRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new RequestProblem('The request must be a JSON object: {"workflow": …, "values": {…}}.');
  const { workflow, values = {} } = body as Record<string, unknown>;
  if (typeof workflow !== 'string' || workflow === '')
    throw new RequestProblem('"workflow" must name a workflow (see /api/workflows).');
  if (typeof values !== 'object' || values === null || Array.isArray(values))
    throw new RequestProblem('"values" must be an object of parameter values.');
  const decoded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values as Record<string, unknown>))
    decoded[name] = isEncodedImage(value) ? decodeImage(value) : value;
  return { workflow, values: decoded };
}

export class RequestProblem extends Error {}

function isEncodedImage(value: unknown): value is EncodedImage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as EncodedImage).filename === 'string' &&
    typeof (value as EncodedImage).base64 === 'string'
  );
}

function decodeImage({ filename, base64 }: EncodedImage): ImageInput {
  return { filename, data: new Uint8Array(Buffer.from(base64, 'base64')) };
}
