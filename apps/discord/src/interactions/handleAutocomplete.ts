import {
  ApplicationCommandOptionType,
  InteractionResponseType,
  Routes,
  type APIApplicationCommandOptionChoice,
  type AutocompleteInteraction,
} from 'discord.js';
import type { InteractionContext } from './InteractionContext.js';
import { withDeadline } from './withDeadline.js';

const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;

/**
 * Suggestions while a user types an option with live or many choices. Autocomplete cannot be
 * deferred, so what is not ready in time is answered with no suggestions.
 */
export async function handleAutocomplete(
  interaction: AutocompleteInteraction,
  context: InteractionContext,
): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const suggestions = await withDeadline(
    context.service.autocomplete(interaction.commandName, focused.name, String(focused.value)),
    context.autocompleteWithinMs,
    [],
  );
  const numeric =
    focused.type === ApplicationCommandOptionType.Integer ||
    focused.type === ApplicationCommandOptionType.Number;
  const choices: APIApplicationCommandOptionChoice[] = suggestions
    .filter((suggestion) => suggestion.length > 0 && suggestion.length <= MAX_CHOICE_LENGTH)
    .filter((suggestion) => !numeric || Number.isFinite(Number(suggestion)))
    .slice(0, MAX_CHOICES)
    .map((suggestion) => ({ name: suggestion, value: numeric ? Number(suggestion) : suggestion }));
  await context.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
    body: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } },
    auth: false,
  });
}
