import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  ParameterError,
  validateParameters,
  type ApiWorkflow,
  type WorkflowDefinition,
} from '@comfyrelay/core';
import { RefusedError } from '../errors.js';
import { readImageFile } from '../images/readImageFile.js';
import { checkBeforeSubmit } from './checkBeforeSubmit.js';
import { fileDefinition } from './fileDefinition.js';
import type { NodeCatalogue } from './nodeCatalogue.js';
import { resolveInputs, type ResolvedInputs } from './resolveInputs.js';
import type { ImageOption, SetOption } from './setOption.js';

export interface FileRunRequest {
  graph: ApiWorkflow;
  title: string;
  sets: readonly SetOption[];
  images: readonly ImageOption[];
  force: boolean;
  catalogue: NodeCatalogue | undefined;
  cwd: string;
  maxImageBytes: number;
}

/** What `run` submits: the file as a definition, the values given, and what to say on stderr. */
export interface PreparedFileRun {
  definition: WorkflowDefinition;
  /** The values given by hand (text for core's coercer, pictures read for upload). */
  given: Record<string, unknown>;
  graph: ApiWorkflow;
  setByHand: ReadonlySet<string>;
  /** Links `--force` replaced, and the check's warnings: for stderr. */
  notes: string[];
}

/**
 * Everything `run` can refuse by itself, refused at once and in words before anything is sent:
 * each --set and --image against the file and the node catalogue, the pictures (size, format),
 * each value by core's coercer, then the graph with those values as `workflow check` sees it.
 */
export async function prepareFileRun(request: FileRunRequest): Promise<PreparedFileRun> {
  const resolved = resolveInputs(
    request.graph,
    request.sets,
    request.images,
    request.catalogue,
    request.force,
  );
  const problems = [...resolved.problems];
  await picturesGivenWithSet(resolved, request.cwd);
  const given: Record<string, unknown> = { ...resolved.given };
  for (const [key, picture] of Object.entries(resolved.images)) {
    try {
      given[key] = await readImageFile(resolve(request.cwd, picture), request.maxImageBytes);
    } catch (error) {
      if (!(error instanceof RefusedError)) throw error;
      problems.push(error.message);
    }
  }
  const definition = fileDefinition(resolved.graph, request.title, resolved.uploadInputs);
  const values = await validateParameters(definition, given).catch((error: unknown) => {
    if (!(error instanceof ParameterError)) throw error;
    problems.push(...error.problems.map((problem) => `--set ${problem.message}`));
    return undefined;
  });
  if (problems.length > 0 || !values) throw refusal(problems);
  const warnings = checkBeforeSubmit(definition, values, request.catalogue);
  return {
    definition,
    given,
    graph: resolved.graph,
    setByHand: resolved.setByHand,
    notes: [...resolved.replacedLinks, ...warnings.map((warning) => `warning: ${warning}`)],
  };
}

/** `--set 10.image=cat.png` naming a picture here uploads it, as `--image 10=cat.png` does. */
async function picturesGivenWithSet(resolved: ResolvedInputs, cwd: string): Promise<void> {
  for (const [key, text] of Object.entries(resolved.given)) {
    if (!resolved.uploadInputs.has(key)) continue;
    const isFile = await stat(resolve(cwd, text)).then(
      (info) => info.isFile(),
      () => false,
    );
    if (!isFile) continue;
    resolved.images[key] = text;
    delete resolved.given[key];
  }
}

/** Every refused input at once: one line alone, several as a list. */
function refusal(problems: readonly string[]): RefusedError {
  return new RefusedError(
    problems.length === 1
      ? (problems[0] as string)
      : `these inputs were refused, so nothing was sent to ComfyUI:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  );
}
