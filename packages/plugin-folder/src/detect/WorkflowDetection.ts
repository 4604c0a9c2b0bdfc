import type {
  ApiWorkflow,
  OutputSpec,
  ParameterBinding,
  ParameterSpec,
  ParameterType,
  WorkflowDefinition,
} from '@comfyrelay/core';
import type { ObjectInfo } from '@comfyrelay/core/protocol';
import type { WorkflowProblem } from './WorkflowProblem.js';

/** One parameter of the result and where it lands, for people reading a check report. */
export interface DetectedBinding {
  parameter: string;
  type: ParameterType;
  /** Every node input the value is written to. */
  bind: ParameterBinding[];
  /** Class of the first node it binds to. */
  classType: string;
  default?: string | number | boolean;
  /** Found by the detector, or named (or changed) by a manifest. */
  source: 'detected' | 'manifest';
  /** Anything worth knowing: another sampler keeping its own value, say. */
  note?: string;
}

export interface DetectOptions {
  /** The server's node catalogue: enables class, input and value checks, ranges and choices. */
  objectInfo?: ObjectInfo;
  /**
   * Whose catalogue `objectInfo` is. `server` (the default): the server that will run the
   * workflow, so a class it lacks is an error. `reference`: a catalogue of core ComfyUI classes
   * used offline (the simulator's), so a class it lacks could not be checked (a warning), and
   * model and file names, which differ between servers, are not checked.
   */
  objectInfoFrom?: 'server' | 'reference';
  id?: string;
  title?: string;
  description?: string;
}

export interface WorkflowDetection {
  /** Present when nothing makes the workflow unusable (no `error` problem). */
  definition?: WorkflowDefinition;
  detected: DetectedBinding[];
  /** Things a chat command needs that were not found, in words. */
  missing: string[];
  problems: WorkflowProblem[];
  /** The API-format graph, when the input was one (also when it has problems). */
  graph?: ApiWorkflow;
  /** The parameters and outputs found, also when the workflow is unusable. */
  parameters: ParameterSpec[];
  outputs: OutputSpec[];
}

export function bindingsOf(spec: Pick<ParameterSpec, 'bind'>): ParameterBinding[] {
  return Array.isArray(spec.bind) ? spec.bind : [spec.bind];
}

export function toDetectedBinding(
  spec: ParameterSpec,
  graph: ApiWorkflow,
  source: DetectedBinding['source'],
  note?: string,
): DetectedBinding {
  const bind = bindingsOf(spec);
  const first = bind[0];
  const classType =
    first && Object.hasOwn(graph, first.node) ? (graph[first.node]?.class_type ?? '?') : '?';
  return {
    parameter: spec.name,
    type: spec.type,
    bind,
    classType,
    ...(spec.default !== undefined ? { default: spec.default } : {}),
    source,
    ...(note ? { note } : {}),
  };
}
