import {
  ApplicationCommandOptionType,
  InteractionResponseType,
  Routes,
  type APIApplicationCommandOptionChoice,
  type AutocompleteInteraction,
} from 'discord.js';
import type { InteractionContext } from './InteractionContext.js';
import { requesterOf } from './requesterOf.js';
import { withDeadline } from './withDeadline.js';

const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;

/**
 * Suggestions while a user types an option with live or many choices, or a job of theirs
 * (`/cancel`, `/show`), or a command (`/help`): each labelled as chat says it. Autocomplete
 * cannot be deferred, so what is not ready in time is answered with no suggestions.
 */
export async function handleAutocomplete(
  interaction: AutocompleteInteraction,
  context: InteractionContext,
): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const suggestions = await withDeadline(
    context.service.autocomplete(
      interaction.commandName,
      focused.name,
      String(focused.value),
      requesterOf(interaction),
    ),
    context.autocompleteWithinMs,
    [],
  );
  const numeric =
    focused.type === ApplicationCommandOptionType.Integer ||
    focused.type === ApplicationCommandOptionType.Number;
  const choices: APIApplicationCommandOptionChoice[] = suggestions
    .filter(({ value }) => value.length > 0 && value.length <= MAX_CHOICE_LENGTH)
    .filter(({ value }) => !numeric || Number.isFinite(Number(value)))
    .slice(0, MAX_CHOICES)
    .map(({ label, value }) => ({
      name: label.slice(0, MAX_CHOICE_LENGTH) || value,
      value: numeric ? Number(value) : value,
    }));
  await context.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
    body: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } },
    auth: false,
  });
}
