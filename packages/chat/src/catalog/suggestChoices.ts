import { MAX_CHOICES } from './commandOptions.js';

/** Longest choice value Discord accepts. */
const MAX_CHOICE_LENGTH = 100;

/**
 * What autocomplete offers while a user types: values that start with the typed text, then
 * those that contain it (case-insensitive), at most 25, none longer than a platform accepts.
 */
export function suggestChoices(
  choices: readonly string[],
  typed: string,
  limit = MAX_CHOICES,
): string[] {
  const needle = typed.trim().toLowerCase();
  const usable = choices.filter((choice) => choice.length <= MAX_CHOICE_LENGTH);
  const starts = usable.filter((choice) => choice.toLowerCase().startsWith(needle));
  const contains = usable.filter(
    (choice) => !choice.toLowerCase().startsWith(needle) && choice.toLowerCase().includes(needle),
  );
  return [...starts, ...contains].slice(0, limit);
}
