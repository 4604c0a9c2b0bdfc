import type { CommandFn } from './command.js';
import { discordCommand, telegramCommand } from './commands/bots.js';
import { configCommand } from './commands/config.js';
import { generateCommand } from './commands/generate.js';
import { runCommand } from './commands/run.js';
import { simCommand } from './commands/sim.js';
import { startCommand } from './commands/start.js';
import { statusCommand } from './commands/status.js';
import { workflowCommand } from './commands/workflowCheck.js';
import { workflowsCommand } from './commands/workflows.js';
import { processIO, writeTo, type CliIO } from './io.js';
import { didYouMean } from '@comfyrelay/core';
import { MAIN_USAGE } from './usage.js';
import { version } from './version.js';

export const commands: Record<string, CommandFn> = {
  workflows: workflowsCommand,
  generate: generateCommand,
  run: runCommand,
  workflow: workflowCommand,
  status: statusCommand,
  start: startCommand,
  discord: discordCommand,
  telegram: telegramCommand,
  config: configCommand,
  sim: simCommand,
};

/** `comfyrelay <command> …`: returns the exit status. Streams, env and cwd default to the process's. */
export async function main(argv: string[], overrides: Partial<CliIO> = {}): Promise<number> {
  const io = processIO(overrides);
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(`comfyrelay: which command?\n\n${MAIN_USAGE}`);
    return 2;
  }
  if (first === '--help' || first === '-h') {
    await writeTo(io.stdout, MAIN_USAGE);
    return 0;
  }
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) return main(['--help'], io);
    if (Object.hasOwn(commands, topic)) return main([topic, '--help'], io);
    io.stderr.write(`comfyrelay help: ${unknownCommand(topic)}\n`);
    return 2;
  }
  if (first === '--version' || first === '-v' || first === 'version') {
    await writeTo(io.stdout, `${version}\n`);
    return 0;
  }
  const run = Object.hasOwn(commands, first) ? commands[first] : undefined;
  if (!run) {
    io.stderr.write(`comfyrelay: ${unknownCommand(first)}\n`);
    return 2;
  }
  return run(rest, io);
}

function unknownCommand(name: string): string {
  const known = Object.keys(commands);
  const hint = didYouMean(name, known);
  const what = name.startsWith('-') ? `unknown option ${name}` : `there is no command "${name}"`;
  return `${what}; ${hint || `the commands are ${known.join(', ')}`} ("comfyrelay --help" shows what each does)`;
}
