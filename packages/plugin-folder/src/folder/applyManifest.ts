import type { ObjectInfo } from '@comfyrelay/core/protocol';
import { describeWorkflowKind } from '../detect/describeWorkflowKind.js';
import { findMissing } from '../detect/findMissing.js';
import { slotKey } from '../detect/literalSlot.js';
import {
  bindingsOf,
  toDetectedBinding,
  type WorkflowDetection,
} from '../detect/WorkflowDetection.js';
import { hasErrors, type WorkflowProblem } from '../detect/WorkflowProblem.js';
import type { ParameterSpec, WorkflowDefinition } from '@comfyrelay/core';
import { checkBinding } from './checkBinding.js';
import { inferParameter } from './inferParameter.js';
import type { ManifestParameter, WorkflowManifest } from './WorkflowManifest.js';

export interface ApplyManifestOptions {
  objectInfo?: ObjectInfo;
  /** The id, title and description to use where the manifest names none. */
  id: string;
  title: string;
  description?: string;
  /** How the manifest is named in problems (its file name). */
  source: string;
}

/**
 * The detection, adjusted by the operator's manifest: parameters added, changed or hidden,
 * outputs replaced, the workflow named. A manifest parameter that binds an input the detector
 * had bound takes it over. A definition results only when nothing is an error.
 */
export function applyManifest(
  detection: WorkflowDetection,
  manifest: WorkflowManifest | undefined,
  options: ApplyManifestOptions,
): WorkflowDetection {
  const graph = detection.graph;
  if (!graph) return detection;
  const problems: WorkflowProblem[] = [...detection.problems];
  const notes = new Map(detection.detected.map((d) => [d.parameter, d.note]));
  let parameters: ParameterSpec[] =
    manifest?.detect === false ? [] : detection.parameters.map((p) => ({ ...p }));
  const touched = new Set<string>();
  const claimed = new Map<string, string>();

  for (const [name, entry] of Object.entries(manifest?.parameters ?? {})) {
    const existing = parameters.find((p) => p.name === name);
    if (entry === false) {
      if (existing) parameters = parameters.filter((p) => p !== existing);
      else
        problems.push(
          warning(`${options.source}: hides parameter ${name}, which was not detected`),
        );
      continue;
    }
    if (!existing && !entry.bind) {
      problems.push(
        error(
          `${options.source}: parameter ${name} is not a detected one, so it needs "bind" (e.g. "6.text")`,
        ),
      );
      continue;
    }
    const bindProblems = (entry.bind ?? []).map((b) =>
      checkBinding(graph, name, b, options.source, options.objectInfo),
    );
    problems.push(...bindProblems.filter((p): p is WorkflowProblem => p !== undefined));
    if (bindProblems.some((p) => p?.severity === 'error')) continue;
    const inferred = entry.bind
      ? inferParameter(name, entry.bind, graph, options.objectInfo)
      : undefined;
    const spec = merge(
      existing && inferred ? rebind(existing, inferred) : (existing ?? (inferred as ParameterSpec)),
      entry,
    );
    problems.push(...checkSpec(spec, options.source));
    for (const binding of bindingsOf(spec)) {
      const key = slotKey(binding);
      const other = claimed.get(key);
      if (other)
        problems.push(
          error(
            `${options.source}: parameters ${other} and ${name} both bind node ${binding.node} input "${binding.input}"`,
          ),
        );
      claimed.set(key, name);
    }
    parameters = existing
      ? parameters.map((p) => (p === existing ? spec : p))
      : [...parameters, spec];
    touched.add(name);
  }
  parameters = releaseTakenBindings(parameters, touched);

  const outputs = manifest?.outputs ?? detection.outputs;
  for (const output of manifest?.outputs ?? []) {
    if (output.node !== undefined && !Object.hasOwn(graph, output.node)) {
      problems.push(error(`${options.source}: output node ${output.node} is not in the workflow`));
    }
  }
  const result: WorkflowDetection = {
    detected: parameters.map((p) =>
      toDetectedBinding(
        p,
        graph,
        touched.has(p.name) ? 'manifest' : 'detected',
        touched.has(p.name) ? undefined : notes.get(p.name),
      ),
    ),
    missing: findMissing(graph, parameters, outputs),
    problems,
    graph,
    parameters,
    outputs,
  };
  if (!hasErrors(problems)) {
    const definition: WorkflowDefinition = {
      id: options.id,
      title: manifest?.title ?? options.title,
      description:
        manifest?.description ??
        options.description ??
        `${describeWorkflowKind(parameters, outputs)} (an exported ComfyUI workflow)`,
      template: graph,
      parameters,
      outputs,
    };
    if (manifest?.deadlineMs !== undefined) definition.deadlineMs = manifest.deadlineMs;
    result.definition = definition;
  }
  return result;
}

/** A detected parameter moved elsewhere keeps its meaning but takes the new input's value (and live choices). */
function rebind(existing: ParameterSpec, inferred: ParameterSpec): ParameterSpec {
  const moved: ParameterSpec = { ...existing, bind: inferred.bind };
  if (inferred.default !== undefined) moved.default = inferred.default;
  else delete moved.default;
  if (existing.choices && !Array.isArray(existing.choices) && inferred.choices)
    moved.choices = inferred.choices;
  return moved;
}

function merge(spec: ParameterSpec, entry: ManifestParameter): ParameterSpec {
  const merged: ParameterSpec = { ...spec };
  const { bind: _bind, ...overrides } = entry;
  Object.assign(merged, overrides);
  return merged;
}

/** Detected parameters lose the inputs a manifest parameter bound; one left with none is dropped. */
function releaseTakenBindings(
  parameters: ParameterSpec[],
  fromManifest: ReadonlySet<string>,
): ParameterSpec[] {
  const taken = new Set(
    parameters.filter((p) => fromManifest.has(p.name)).flatMap((p) => bindingsOf(p).map(slotKey)),
  );
  return parameters.flatMap((p) => {
    if (fromManifest.has(p.name)) return [p];
    const left = bindingsOf(p).filter((b) => !taken.has(slotKey(b)));
    if (left.length === 0) return [];
    if (left.length === bindingsOf(p).length) return [p];
    return [{ ...p, bind: left.length === 1 ? (left[0] as ParameterSpec['bind']) : left }];
  });
}

function checkSpec(spec: ParameterSpec, source: string): WorkflowProblem[] {
  const at = `${source}: parameter ${spec.name}`;
  const problems: WorkflowProblem[] = [];
  if (spec.type === 'choice' && !spec.choices)
    problems.push(error(`${at} is a choice but lists no "choices"`));
  const numeric = spec.type === 'integer' || spec.type === 'number' || spec.type === 'seed';
  if (spec.default !== undefined && numeric && typeof spec.default !== 'number') {
    problems.push(
      error(
        `${at} is a ${spec.type} but its default ${JSON.stringify(spec.default)} is not a number`,
      ),
    );
  }
  if (typeof spec.default === 'number' && spec.type !== 'seed') {
    if (spec.min !== undefined && spec.default < spec.min)
      problems.push(error(`${at}: default ${spec.default} is below min ${spec.min}`));
    if (spec.max !== undefined && spec.default > spec.max)
      problems.push(error(`${at}: default ${spec.default} is above max ${spec.max}`));
  }
  if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) {
    problems.push(error(`${at}: min ${spec.min} is above max ${spec.max}`));
  }
  if (
    Array.isArray(spec.choices) &&
    typeof spec.default === 'string' &&
    !spec.choices.includes(spec.default)
  ) {
    problems.push(error(`${at}: default "${spec.default}" is not one of its choices`));
  }
  return problems;
}

function error(message: string): WorkflowProblem {
  return { code: 'manifest_invalid', severity: 'error', message };
}

function warning(message: string): WorkflowProblem {
  return { code: 'manifest_invalid', severity: 'warning', message };
}
