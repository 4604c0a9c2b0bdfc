import type { CommandCatalog, CommandOption, CommandSpec } from '@comfyrelay/chat';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

export type CommandDefinition = RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Discord caps `max_length` of a string option at 6000 and a choice's name and value at 100. */
const MAX_STRING_LENGTH = 6000;
const MAX_CHOICE_LENGTH = 100;

/** The catalog's commands as Discord slash commands, usable in servers. */
export function commandDefinitions(catalog: CommandCatalog): CommandDefinition[] {
  return catalog.commands.map(commandDefinition);
}

function commandDefinition(command: CommandSpec): CommandDefinition {
  const definition: CommandDefinition = {
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    description: command.description,
    contexts: [InteractionContextType.Guild],
  };
  if (command.options.length > 0) definition.options = command.options.map(optionDefinition);
  return definition;
}

function optionDefinition(option: CommandOption): APIApplicationCommandBasicOption {
  const base = {
    name: option.name,
    description: option.description,
    required: option.required,
  };
  switch (option.type) {
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'attachment':
      return { ...base, type: ApplicationCommandOptionType.Attachment };
    case 'integer':
    case 'number':
      return {
        ...base,
        type:
          option.type === 'integer'
            ? ApplicationCommandOptionType.Integer
            : ApplicationCommandOptionType.Number,
        ...(option.min !== undefined ? { min_value: option.min } : {}),
        ...(option.max !== undefined ? { max_value: option.max } : {}),
        ...(option.autocomplete ? { autocomplete: true } : {}),
      };
    default: {
      const choices = option.choices?.filter(
        (choice) => choice.length > 0 && choice.length <= MAX_CHOICE_LENGTH,
      );
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...(option.maxLength !== undefined
          ? { max_length: Math.min(option.maxLength, MAX_STRING_LENGTH) }
          : {}),
        ...(choices && choices.length > 0 && !option.autocomplete
          ? { choices: choices.map((choice) => ({ name: choice, value: choice })) }
          : option.autocomplete
            ? { autocomplete: true as const }
            : {}),
      };
    }
  }
}
