import { MAX_SEED, type ParameterSpec } from '@comfyrelay/core';
import { cutOnWord } from '../text/cutOnWord.js';
import type { CommandOption, CommandOptionType } from './CommandSpec.js';
import { sanitiseName } from './commandName.js';

/** Platform limits every command must respect (Discord's are the tighter ones). */
export const MAX_OPTIONS = 25;
export const MAX_CHOICES = 25;
export const MAX_DESCRIPTION = 100;

const TYPES: Record<ParameterSpec['type'], CommandOptionType> = {
  string: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  choice: 'choice',
  seed: 'integer',
  image: 'attachment',
};

/** A description both platforms accept: 1 to 100 characters, cut on a word. */
export function fitDescription(text: string | undefined, fallback: string): string {
  const fitted = cutOnWord(text ?? '', MAX_DESCRIPTION);
  return fitted === '' ? cutOnWord(fallback, MAX_DESCRIPTION) : fitted;
}

/** A workflow parameter as a command option named `name`. */
export function optionFromParameter(spec: ParameterSpec, name: string): CommandOption {
  const fixed = Array.isArray(spec.choices) ? (spec.choices as readonly string[]) : undefined;
  const live = spec.choices !== undefined && fixed === undefined;
  const option: CommandOption = {
    name,
    parameter: spec.name,
    type: TYPES[spec.type],
    description: fitDescription(spec.description, spec.name.replace(/_/g, ' ')),
    required: spec.required === true,
    autocomplete: live || (fixed !== undefined && fixed.length > MAX_CHOICES),
    aliases: (spec.aliases ?? []).map((alias) => sanitiseName(alias)).filter(Boolean),
  };
  const min = spec.min ?? (spec.type === 'seed' ? 0 : undefined);
  const max = spec.max ?? (spec.type === 'seed' ? MAX_SEED : undefined);
  if (min !== undefined) option.min = min;
  if (max !== undefined) option.max = max;
  if (spec.maxLength !== undefined) option.maxLength = spec.maxLength;
  if (fixed !== undefined && fixed.length <= MAX_CHOICES) option.choices = fixed;
  if (spec.default !== undefined) option.default = spec.default;
  return option;
}

/** Option names for a workflow's parameters: sanitised, unique (`_2`, `_3` in declaration order). */
export function optionNames(parameters: readonly ParameterSpec[], reserved: Iterable<string> = []) {
  const taken = new Set(reserved);
  return parameters.map((spec) => {
    const base = sanitiseName(spec.name) || 'option';
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base.slice(0, 29)}_${n}`;
    taken.add(name);
    return name;
  });
}
