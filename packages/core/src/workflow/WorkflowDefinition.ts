import type { ApiWorkflow } from '../protocol/graph.js';
import type { ProgressInterpreter } from '../progress/Progress.js';

export type ParameterType =
  'string' | 'integer' | 'number' | 'boolean' | 'choice' | 'seed' | 'image';

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
  /** Other names a user may type for it (`ar` for `aspect`, `no` for `negative`). */
  aliases?: readonly string[];
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
  /** Which workflow runs it (default: the same one); may belong to another plugin. */
  workflow?: string;
  /** The action feeds the result's first image to the follow-up (upscale, variations, animate). */
  usesOutputImage?: boolean;
  /** The parameters of the follow-up, from the parameters of the result it is offered on. */
  parameters(previous: Record<string, unknown>, context: FollowUpContext): Record<string, unknown>;
}

export interface FollowUpContext {
  /**
   * The result's image the action works on, when it `usesOutputImage` (the first, unless the
   * user chose another: V2, U3 …): pass it as an `image` parameter.
   */
  image?: ImageInput;
  /** Which of the result's images that is (0-based). */
  index?: number;
}

/** An image a user gave (or a previous result): uploaded to the backend that runs the generation. */
export interface ImageInput {
  data: Uint8Array;
  filename: string;
}

export function isImageInput(value: unknown): value is ImageInput {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as ImageInput).data instanceof Uint8Array &&
    typeof (value as ImageInput).filename === 'string'
  );
}

/** A validated parameter value: text, a number, a flag, or a picture to upload. */
export type ParameterValue = string | number | boolean | ImageInput;
export type ParameterValues = Record<string, ParameterValue>;

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
  /**
   * Normalise validated values before rendering (e.g. round a frame count to what the model
   * accepts). `given` names the parameters the user set (the others hold their defaults). May
   * throw a `ParameterError`. What it returns is what the record keeps.
   */
  prepare?(values: ParameterValues, given: ReadonlySet<string>): ParameterValues;
  /** Set inputs no single parameter binds (derived from several values) on the rendered graph. */
  finalize?(graph: ApiWorkflow, values: ParameterValues): ApiWorkflow | void;
}
