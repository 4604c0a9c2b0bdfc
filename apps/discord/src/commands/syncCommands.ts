import type { Logger } from '@comfyrelay/core';
import { Routes, type REST } from 'discord.js';
import type { CommandDefinition } from './commandDefinitions.js';
import { sameCommands } from './sameCommands.js';

export interface CommandScope {
  applicationId: string;
  /** Servers to register in (instant); empty: globally (Discord may take a while to show them). */
  guildIds: readonly string[];
}

/**
 * Makes Discord's commands these, in each scope, with one bulk overwrite where they differ and
 * none where they are the same: a restart costs no command writes (Discord allows 200 a day).
 * Resolves with how many scopes were written.
 */
export async function syncCommands(
  rest: REST,
  scope: CommandScope,
  commands: readonly CommandDefinition[],
  logger: Logger,
): Promise<number> {
  const routes =
    scope.guildIds.length > 0
      ? scope.guildIds.map((guild) => Routes.applicationGuildCommands(scope.applicationId, guild))
      : [Routes.applicationCommands(scope.applicationId)];
  let written = 0;
  for (const route of routes) {
    const registered = (await rest.get(route)) as Record<string, unknown>[];
    if (sameCommands(registered, commands)) continue;
    await rest.put(route, { body: commands });
    written += 1;
    logger.info('registered the slash commands', { route, commands: commands.length });
  }
  return written;
}
