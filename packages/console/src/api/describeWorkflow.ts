import {
  liveSource,
  type ComfyRelay,
  type ParameterSpec,
  type WorkflowDefinition,
} from '@comfyrelay/core';

/** A parameter as the Try-it form needs it: its schema, with live choices already read. */
export interface ParameterDescription {
  name: string;
  type: ParameterSpec['type'];
  description?: string;
  aliases?: readonly string[];
  required: boolean;
  default?: string | number | boolean;
  min?: number;
  max?: number;
  multipleOf?: number;
  maxLength?: number;
  /** The values it may take now: a fixed list, or the server's live one. */
  choices?: readonly string[];
  /** Whether `choices` came from the server (`/object_info`). */
  liveChoices: boolean;
  /** Why live choices could not be read (the form then takes any text). */
  choicesProblem?: string;
}

export interface WorkflowDescription {
  id: string;
  title: string;
  description: string;
  plugin?: string;
  parameters: ParameterDescription[];
  outputs: { kind: string; mime?: string }[];
  actions: { id: string; label: string }[];
}

/** A workflow's definition as JSON: the same schema the bots render, with live choices. */
export async function describeWorkflow(
  relay: ComfyRelay,
  definition: WorkflowDefinition,
): Promise<WorkflowDescription> {
  const plugin = relay.pluginOf(definition.id);
  return {
    id: definition.id,
    title: definition.title,
    description: definition.description,
    ...(plugin !== undefined ? { plugin } : {}),
    parameters: await Promise.all(
      definition.parameters.map((spec) => describeParameter(relay, definition.id, spec)),
    ),
    outputs: definition.outputs.map(({ kind, mime }) => ({ kind, ...(mime ? { mime } : {}) })),
    actions: (definition.actions ?? []).map(({ id, label }) => ({ id, label })),
  };
}

async function describeParameter(
  relay: ComfyRelay,
  workflowId: string,
  spec: ParameterSpec,
): Promise<ParameterDescription> {
  const { bind: _bind, choices: _choices, required, ...schema } = spec;
  const described: ParameterDescription = {
    ...schema,
    required: required ?? false,
    liveChoices: liveSource(spec) !== undefined,
  };
  if (spec.choices === undefined) return described;
  try {
    const choices = await relay.choicesFor(workflowId, spec.name);
    if (choices !== undefined) described.choices = choices;
    else if (described.liveChoices)
      described.choicesProblem = 'the ComfyUI servers do not list its choices right now';
  } catch (error) {
    described.choicesProblem = error instanceof Error ? error.message : String(error);
  }
  return described;
}
