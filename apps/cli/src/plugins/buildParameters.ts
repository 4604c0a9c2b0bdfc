import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ImageInput, ParameterError, WorkflowDefinition } from '@comfyrelay/core';
import { RefusedError } from '../errors.js';
import { readImageFile } from '../images/readImageFile.js';
import { closestMatches } from '@comfyrelay/core';

/** One `NAME=VALUE` of `-p` / `--image`. */
export interface Assignment {
  name: string;
  value: string;
}

export function parseAssignment(option: string, text: string, example: string): Assignment {
  const equals = text.indexOf('=');
  const name = equals > 0 ? text.slice(0, equals).trim() : '';
  if (equals <= 0 || name === '') {
    throw new RefusedError(
      `${option} takes NAME=VALUE (such as ${option} ${example}), not "${text}"`,
    );
  }
  return { name, value: text.slice(equals + 1) };
}

/**
 * The input of `relay.generate`, built from the definition alone: each `-p NAME=VALUE` as the
 * text typed (core's coercer turns it into the parameter's type and says what is wrong with
 * it), each image read from its file as an ImageInput. A later value for the same name wins.
 * What the definition does not declare is passed as given: core refuses it in words.
 */
export async function buildParameters(
  definition: WorkflowDefinition,
  params: readonly string[],
  images: readonly string[],
  cwd: string,
  maxImageBytes: number,
): Promise<Record<string, unknown>> {
  const input: Record<string, unknown> = {};
  const specs = new Map(definition.parameters.map((spec) => [spec.name, spec]));
  for (const text of params) {
    const { name, value } = parseAssignment('-p', text, 'steps=30');
    input[name] =
      specs.get(name)?.type === 'image' ? await imageOrName(value, cwd, maxImageBytes) : value;
  }
  for (const text of images) {
    const { name, value } = parseAssignment('--image', text, 'image=photo.png');
    if (specs.get(name)?.type !== 'image') {
      const imageNames = definition.parameters.filter((p) => p.type === 'image').map((p) => p.name);
      throw new RefusedError(
        `${definition.id} has no image parameter "${name}"; ${
          imageNames.length > 0
            ? `its image parameters: ${imageNames.join(', ')}`
            : 'it takes no image'
        }`,
      );
    }
    input[name] = await readImageFile(resolve(cwd, value), maxImageBytes);
  }
  return input;
}

/** `-p image=VALUE`: a file here is read and uploaded; anything else names a file ComfyUI already has. */
async function imageOrName(
  value: string,
  cwd: string,
  maxBytes: number,
): Promise<ImageInput | string> {
  const path = resolve(cwd, value);
  const isFile = await stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
  return isFile ? readImageFile(path, maxBytes) : value;
}

/** Core's refusal, in plain words, with what to do next. */
export function describeParameterError(
  definition: WorkflowDefinition,
  error: ParameterError,
): string {
  const names = definition.parameters.map((spec) => spec.name);
  const lines = [
    `${definition.id} (${definition.title}) did not accept these parameters, so nothing was sent to ComfyUI:`,
    ...error.problems.map((problem) => {
      if (names.includes(problem.parameter)) return `  - ${problem.message}`;
      const [close] = closestMatches(problem.parameter, names, 1);
      return `  - ${problem.message}${close ? `; did you mean ${close}?` : ''}`;
    }),
  ];
  if (error.problems.some((problem) => !names.includes(problem.parameter)))
    lines.push(`Its parameters: ${names.join(', ') || 'none'}.`);
  lines.push(
    `Give them as -p NAME=VALUE (pictures: --image NAME=PATH); "comfyrelay workflows ${definition.id}" shows each one's rules.`,
  );
  return lines.join('\n');
}
