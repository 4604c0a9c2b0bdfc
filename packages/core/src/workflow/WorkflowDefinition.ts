import type { ApiWorkflow } from '../protocol/graph.js';
import type { ProgressInterpreter } from '../progress/Progress.js';

export type ParameterType = 'string' | 'integer' | 'number' | 'boolean' | 'choice' | 'seed' | 'image';

/** Where a parameter's value lands in the template: `graph[node].inputs[input]`. */
export interface ParameterBinding {
  node: string;
  input: string;
}

/** Choices read live from ComfyUI's `/object_info` (checkpoints, LoRAs, samplers …). */
export interface ObjectInfoChoices {
  classType: string;
  input: string;
}

export interface ParameterSpec {
  name: string;
  type: ParameterType;
  description?: string;
  required?: boolean;
  default?: string | number | boolean;
  min?: number;
  max?: number;
  /** Round numeric values to a multiple of this (e.g. 8 for latent sizes). */
  multipleOf?: number;
  maxLength?: number;
  /** Fixed choices, or read from `/object_info` at run time. */
  choices?: readonly string[] | ObjectInfoChoices;
  bind: ParameterBinding | ParameterBinding[];
}

export type OutputKind = 'image' | 'animated-image' | 'video';

export interface OutputSpec {
  /** The output node; omitted: every output node of the graph. */
  node?: string;
  kind: OutputKind;
  mime?: string;
}

/** A follow-up offered on a finished result (reroll, upscale …): a new request derived from the old one. */
export interface FollowUpAction {
  id: string;
  label: string;
  /** Which workflow runs it (default: the same one). */
  workflow?: string;
  /** The parameters of the follow-up, from the parameters of the result it is offered on. */
  parameters(previous: Record<string, unknown>, context: FollowUpContext): Record<string, unknown>;
}

export interface FollowUpContext {
  /** An output of the finished generation, already uploaded to ComfyUI's input folder when the action needs an image. */
  uploadedImage?: string;
}

/** One generator a plugin offers. Apps render each as a native command with no plugin-specific code. */
export interface WorkflowDefinition {
  id: string;
  title: string;
  description: string;
  /** API-format graph ("Export (API)" in ComfyUI). */
  template: ApiWorkflow;
  parameters: ParameterSpec[];
  outputs: OutputSpec[];
  actions?: FollowUpAction[];
  progress?: ProgressInterpreter;
  /** Fail the generation if it is not done by then (default: the relay's). */
  deadlineMs?: number;
}
