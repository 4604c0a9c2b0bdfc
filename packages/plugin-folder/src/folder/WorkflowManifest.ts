import type {
  ObjectInfoChoices,
  OutputSpec,
  ParameterBinding,
  ParameterType,
} from '@comfyrelay/core';

/**
 * The optional manifest beside an exported workflow (`<name>.manifest.json`, or a `comfyrelay`
 * key inside the workflow file): names the workflow and adjusts its parameters. See README.md.
 */
export interface WorkflowManifest {
  /** Final id: `custom.<id>` (default: the file name). */
  id?: string;
  title?: string;
  description?: string;
  /** false: offer only the parameters listed here. Default true: start from the detected ones. */
  detect?: boolean;
  /** By name: a new parameter (needs `bind`), changes to a detected one, or `false` to hide it. */
  parameters?: Record<string, ManifestParameter | false>;
  /** Replaces the detected outputs. */
  outputs?: OutputSpec[];
  deadlineMs?: number;
}

export interface ManifestParameter {
  /** Bindings, normalised from `"6.text"`, `{ "node": "6", "input": "text" }` or a list of either. */
  bind?: ParameterBinding[];
  type?: ParameterType;
  description?: string;
  required?: boolean;
  default?: string | number | boolean;
  min?: number;
  max?: number;
  multipleOf?: number;
  maxLength?: number;
  choices?: readonly string[] | ObjectInfoChoices;
}
