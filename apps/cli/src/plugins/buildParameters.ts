import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type {
  ImageInput,
  ParameterError,
  ParameterSpec,
  WorkflowDefinition,
} from '@comfyrelay/core';
import { RefusedError, UsageError } from '../errors.js';

/** One `NAME=VALUE` of `-p` / `--image`. */
export interface Assignment {
  name: string;
  value: string;
}

export function parseAssignment(option: string, text: string): Assignment {
  const equals = text.indexOf('=');
  const name = equals > 0 ? text.slice(0, equals).trim() : '';
  if (equals <= 0 || name === '') {
    throw new UsageError(
      `${option} takes NAME=VALUE (e.g. ${option} ${option === '--image' ? 'image=photo.png' : 'steps=30'}), got "${text}"`,
    );
  }
  return { name, value: text.slice(equals + 1) };
}

/**
 * The input of `relay.generate`, built from the definition alone: each `-p NAME=VALUE` parsed by
 * its parameter's type (numbers, booleans; text and choices as given), each image read from
 * its file as an ImageInput. A later value for the same name wins. What the definition does
 * not declare is passed as given: core's validation refuses it in words.
 */
export async function buildParameters(
  definition: WorkflowDefinition,
  params: readonly string[],
  images: readonly string[],
  cwd: string,
): Promise<Record<string, unknown>> {
  const input: Record<string, unknown> = {};
  const specs = new Map(definition.parameters.map((spec) => [spec.name, spec]));
  for (const text of params) {
    const { name, value } = parseAssignment('-p', text);
    const spec = specs.get(name);
    input[name] = spec?.type === 'image' ? await imageOrName(value, cwd) : parseValue(spec, value);
  }
  for (const text of images) {
    const { name, value } = parseAssignment('--image', text);
    const spec = specs.get(name);
    if (spec?.type !== 'image') {
      const imageNames = definition.parameters.filter((p) => p.type === 'image').map((p) => p.name);
      throw new RefusedError(
        `${definition.id} has no image parameter "${name}"; ${
          imageNames.length > 0
            ? `its image parameters: ${imageNames.join(', ')}`
            : 'it takes no image'
        }`,
      );
    }
    input[name] = await readImage(resolve(cwd, value));
  }
  return input;
}

/** A value as its parameter's type wants it; anything that does not parse stays text for core to refuse. */
export function parseValue(spec: ParameterSpec | undefined, value: string): unknown {
  switch (spec?.type) {
    case 'integer':
    case 'number':
    case 'seed': {
      const number = Number(value);
      return value.trim() !== '' && Number.isFinite(number) ? number : value;
    }
    case 'boolean': {
      const word = value.trim().toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(word)) return true;
      if (['false', 'no', 'off', '0'].includes(word)) return false;
      return value;
    }
    default:
      return value;
  }
}

/** `-p image=VALUE`: a file here is read and uploaded; anything else names a file ComfyUI already has. */
async function imageOrName(value: string, cwd: string): Promise<ImageInput | string> {
  const path = resolve(cwd, value);
  const isFile = await stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
  return isFile ? readImage(path) : value;
}

async function readImage(path: string): Promise<ImageInput> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RefusedError(
      code === 'ENOENT' ? `image file not found: ${path}` : `cannot read ${path}: ${String(error)}`,
    );
  }
  if (!imageFormat(data)) {
    throw new RefusedError(`${path} is not a PNG, JPEG, WebP or GIF picture`);
  }
  return { data, filename: basename(path) };
}

function imageFormat(data: Uint8Array): string | undefined {
  const starts = (bytes: number[], at = 0) => bytes.every((byte, i) => data[at + i] === byte);
  if (starts([0x89, 0x50, 0x4e, 0x47])) return 'png';
  if (starts([0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts([0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  return undefined;
}

/** Core's refusal, in plain words, with what to do next. */
export function describeParameterError(
  definition: WorkflowDefinition,
  error: ParameterError,
): string {
  const lines = [
    `${definition.id} (${definition.title}) did not accept these parameters, so nothing was sent to ComfyUI:`,
    ...error.problems.map((problem) => `  - ${problem.message}`),
  ];
  const names = definition.parameters.map((spec) => spec.name);
  if (error.problems.some((problem) => !names.includes(problem.parameter)))
    lines.push(`Its parameters: ${names.join(', ') || 'none'}.`);
  lines.push(
    `Give them as -p NAME=VALUE (pictures: --image NAME=PATH); "comfyrelay workflows ${definition.id}" shows each one's rules.`,
  );
  return lines.join('\n');
}
