import type { BuiltinCommand, BuiltinCommandName, CommandOption } from './CommandSpec.js';

const text = (
  name: string,
  description: string,
  required: boolean,
  autocomplete: boolean,
): CommandOption => ({
  name,
  parameter: name,
  type: 'string',
  description,
  required,
  autocomplete,
  aliases: [],
});

/** chat's own commands, the same on every platform. */
export const BUILTIN_COMMANDS: readonly BuiltinCommand[] = [
  {
    kind: 'builtin',
    builtin: 'queue',
    name: 'queue',
    description: 'See what is waiting and what is running',
    options: [],
  },
  {
    kind: 'builtin',
    builtin: 'cancel',
    name: 'cancel',
    description: 'Cancel a generation of yours (the latest unless you name a job)',
    options: [text('job', 'The job to cancel', false, true)],
  },
  {
    kind: 'builtin',
    builtin: 'status',
    name: 'status',
    description: 'ComfyUI servers and your generations',
    options: [],
  },
  {
    kind: 'builtin',
    builtin: 'settings',
    name: 'settings',
    description: 'Your defaults for new generations',
    options: [],
  },
  {
    kind: 'builtin',
    builtin: 'show',
    name: 'show',
    description: "Bring back a job's result with fresh buttons",
    options: [text('job', 'The job to show', true, true)],
  },
  {
    kind: 'builtin',
    builtin: 'help',
    name: 'help',
    description: 'How to use the bot, or one of its commands',
    options: [text('command', 'The command to explain', false, true)],
  },
];

export const BUILTIN_NAMES: readonly BuiltinCommandName[] = BUILTIN_COMMANDS.map(
  (command) => command.builtin,
);
