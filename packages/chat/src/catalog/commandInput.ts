import type { WorkflowDefinition } from '@comfyrelay/core';
import { parseTextArguments, type TextArgumentsOptions } from '../arguments/parseTextArguments.js';
import type { WorkflowCommand } from './CommandSpec.js';

/**
 * The values a platform's typed options carry (by option name; attachments already read into
 * `{ data, filename }`), as the workflow input `relay.generate` takes (by parameter name). The
 * text of the overflow option is read as `--name value` arguments. Values are not coerced here.
 */
export function commandInput(
  command: WorkflowCommand,
  definition: WorkflowDefinition,
  values: Readonly<Record<string, unknown>>,
  options: TextArgumentsOptions = {},
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const option of command.options) {
    const value = values[option.name];
    if (value === undefined || value === null || option.name === command.extraOption) continue;
    input[option.parameter] = value;
  }
  const extra = command.extraOption === undefined ? undefined : values[command.extraOption];
  if (typeof extra === 'string' && extra.trim() !== '') {
    const overflow = new Set(command.overflow);
    const parameters = definition.parameters.filter((spec) => overflow.has(spec.name));
    Object.assign(
      input,
      parseTextArguments(extra, parameters, { command: command.name, ...options, freeText: false }),
    );
  }
  return input;
}
