/** The option types every platform can show natively. */
export type CommandOptionType =
  'string' | 'integer' | 'number' | 'boolean' | 'choice' | 'attachment';

/** One option of a command, within both platforms' rules. */
export interface CommandOption {
  /** `[a-z0-9_]{1,32}`, unique within its command. */
  name: string;
  /** The workflow parameter it fills (built-in commands: the argument's own name). */
  parameter: string;
  type: CommandOptionType;
  /** 1 to 100 characters. */
  description: string;
  required: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  /** Fixed choices, at most 25; longer or live lists use `autocomplete` instead. */
  choices?: readonly string[];
  /** Suggest values as the user types (live lists, lists longer than 25). */
  autocomplete: boolean;
  default?: string | number | boolean;
  /** Other names a user may type in text arguments (`ar`, `no`). */
  aliases: readonly string[];
}

export type BuiltinCommandName = 'queue' | 'cancel' | 'status' | 'settings' | 'show' | 'help';

interface CommandBase {
  /** `[a-z0-9_]{1,32}`, unique, the same across restarts. */
  name: string;
  /** 1 to 100 characters. */
  description: string;
  /** Required ones first, at most 25. */
  options: CommandOption[];
}

/** A command that runs a workflow. */
export interface WorkflowCommand extends CommandBase {
  kind: 'workflow';
  workflow: string;
  /**
   * Parameters that did not fit in the 25 options: typed as text in the `extraOption` option
   * (`--name value`), which is then the last option.
   */
  overflow: readonly string[];
  extraOption?: string;
}

/** One of chat's own commands. */
export interface BuiltinCommand extends CommandBase {
  kind: 'builtin';
  builtin: BuiltinCommandName;
}

/** A platform-neutral command: adapters turn it into a slash command or a bot command. */
export type CommandSpec = WorkflowCommand | BuiltinCommand;
