import type { WorkflowDefinition } from '@comfyrelay/core';
import { BUILTIN_COMMANDS } from './builtinCommands.js';
import { assignCommandNames, WELL_KNOWN_COMMAND_NAMES } from './commandName.js';
import { fitDescription, MAX_OPTIONS, optionFromParameter, optionNames } from './commandOptions.js';
import type { CommandOption, CommandSpec, WorkflowCommand } from './CommandSpec.js';

export interface CommandCatalogOptions {
  /** Workflow id → command name for the commands users know (default `imagine`, `video`). */
  wellKnownNames?: Readonly<Record<string, string>>;
}

/** Every command a platform registers: one per workflow, then chat's own. */
export class CommandCatalog {
  readonly commands: readonly CommandSpec[];
  private readonly byName: ReadonlyMap<string, CommandSpec>;
  private readonly byWorkflow: ReadonlyMap<string, WorkflowCommand>;

  constructor(commands: readonly CommandSpec[]) {
    this.commands = commands;
    this.byName = new Map(commands.map((command) => [command.name, command]));
    this.byWorkflow = new Map(
      commands.flatMap((command) =>
        command.kind === 'workflow' ? [[command.workflow, command] as const] : [],
      ),
    );
  }

  /** The command a user typed (`imagine`, `/imagine`, `imagine@my_bot`). */
  command(typed: string): CommandSpec | undefined {
    return this.byName.get(typed.replace(/^\//, '').replace(/@.*$/, '').toLowerCase());
  }

  forWorkflow(workflowId: string): WorkflowCommand | undefined {
    return this.byWorkflow.get(workflowId);
  }
}

/**
 * The catalog of a set of workflows. Names come from workflow ids alone, so the same workflows
 * give the same commands after every restart whatever order they were registered in.
 */
export function buildCommandCatalog(
  workflows: readonly WorkflowDefinition[],
  options: CommandCatalogOptions = {},
): CommandCatalog {
  const names = assignCommandNames(
    workflows.map((workflow) => workflow.id),
    {
      wellKnown: options.wellKnownNames ?? WELL_KNOWN_COMMAND_NAMES,
      reserved: BUILTIN_COMMANDS.map((command) => command.name),
    },
  );
  const commands = workflows
    .map((workflow) => workflowCommand(workflow, names.get(workflow.id)!))
    .sort((a, b) => a.name.localeCompare(b.name));
  return new CommandCatalog([...commands, ...BUILTIN_COMMANDS]);
}

/** Parameters as options: required first, at most 25, the rest typed as text in one more. */
export function workflowCommand(workflow: WorkflowDefinition, name: string): WorkflowCommand {
  const ordered = [
    ...workflow.parameters.filter((spec) => spec.required),
    ...workflow.parameters.filter((spec) => !spec.required),
  ];
  const optionNamesInOrder = optionNames(ordered);
  let options = ordered.map((spec, i) => optionFromParameter(spec, optionNamesInOrder[i]!));
  const command: WorkflowCommand = {
    kind: 'workflow',
    workflow: workflow.id,
    name,
    description: fitDescription(workflow.description, workflow.title || workflow.id),
    options,
    overflow: [],
  };
  if (options.length <= MAX_OPTIONS) return command;
  const kept = options.slice(0, MAX_OPTIONS - 1);
  const overflow = options.slice(MAX_OPTIONS - 1);
  const extraName = ['more', 'more_options', 'extra_options'].find(
    (candidate) => !kept.some((option) => option.name === candidate),
  )!;
  const extra: CommandOption = {
    name: extraName,
    parameter: extraName,
    type: 'string',
    description: fitDescription(
      `More options as text: ${overflow.map((option) => `--${option.name} value`).join(' ')}`,
      'More options as text',
    ),
    required: false,
    autocomplete: false,
    aliases: [],
  };
  options = [...kept, extra];
  return {
    ...command,
    options,
    overflow: overflow.map((option) => option.parameter),
    extraOption: extraName,
  };
}
