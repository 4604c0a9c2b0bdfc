import type { CommandDefinition } from './commandDefinitions.js';

type Json = Record<string, unknown>;

/**
 * Whether Discord already has exactly these commands. Only what we define is compared, with
 * Discord's defaults filled in (it adds ids, versions and localizations, and may leave out a
 * `required: false`), so an unchanged set compares equal after a restart.
 */
export function sameCommands(registered: readonly Json[], wanted: readonly CommandDefinition[]) {
  const key = (commands: readonly Json[]) =>
    JSON.stringify(commands.map(commandShape).sort((a, b) => a.name.localeCompare(b.name)));
  return key(registered) === key(wanted as unknown as Json[]);
}

function commandShape(command: Json) {
  return {
    name: String(command['name']),
    type: command['type'] ?? 1,
    description: command['description'] ?? '',
    contexts: Array.isArray(command['contexts']) ? [...command['contexts']].sort() : null,
    default_member_permissions: command['default_member_permissions'] ?? null,
    nsfw: command['nsfw'] ?? false,
    options: optionsShape(command['options']),
  };
}

function optionsShape(options: unknown): unknown[] {
  if (!Array.isArray(options)) return [];
  return options.map((option: Json) => ({
    type: option['type'],
    name: option['name'],
    description: option['description'] ?? '',
    required: option['required'] ?? false,
    autocomplete: option['autocomplete'] ?? false,
    choices: Array.isArray(option['choices'])
      ? option['choices'].map((choice: Json) => [choice['name'], choice['value']])
      : [],
    min_value: option['min_value'] ?? null,
    max_value: option['max_value'] ?? null,
    min_length: option['min_length'] ?? null,
    max_length: option['max_length'] ?? null,
    options: optionsShape(option['options']),
  }));
}
