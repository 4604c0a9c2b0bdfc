import { closestMatches, type ParameterSpec } from '@comfyrelay/core';
import { sanitiseName } from '../catalog/commandName.js';
import { englishWording } from '../wording/englishWording.js';
import type { Wording } from '../wording/Wording.js';
import { ArgumentError } from './ArgumentError.js';
import { scanArguments } from './scanArguments.js';

export interface TextArgumentsOptions {
  /** The command's name, for messages ("/video takes no free text"). */
  command?: string;
  wording?: Wording;
  /** Set false where only flags may be typed (the overflow option of a Discord command). */
  freeText?: boolean;
}

/** `batch-size`, `Batch_Size` and `batch_size` are one name, as the option names of commands. */
const normalised = (name: string): string => sanitiseName(name);

/**
 * A command line as parameter values, for platforms without typed options:
 * `a red fox --ar 16:9 --steps 30 --no blurry, text` → `{ prompt: 'a red fox', aspect: '16:9',
 * steps: '30', negative: 'blurry, text' }`. The free text goes to the first required string
 * parameter; flags are parameter names or their aliases; a boolean flag alone means true.
 * Values stay text: the relay's coercer types and checks them. Throws an {@link ArgumentError}.
 */
export function parseTextArguments(
  text: string,
  parameters: readonly ParameterSpec[],
  options: TextArgumentsOptions = {},
): Record<string, string> {
  const wording = options.wording ?? englishWording;
  const freeTarget =
    options.freeText === false
      ? undefined
      : (parameters.find((spec) => spec.type === 'string' && spec.required) ??
        parameters.find((spec) => spec.type === 'string'));
  const byName = new Map<string, ParameterSpec>();
  for (const spec of parameters)
    for (const name of [spec.name, ...(spec.aliases ?? [])]) byName.set(normalised(name), spec);
  const listed = parameters.filter((spec) => spec !== freeTarget).map(shortestFlag);

  const scanned = scanArguments(text);
  const values: Record<string, string> = {};
  if (scanned.free !== '') {
    if (!freeTarget)
      throw new ArgumentError(wording.noFreeText(options.command ?? 'this command', listed));
    values[freeTarget.name] = scanned.free;
  }
  for (const flag of scanned.flags) {
    const spec = byName.get(normalised(flag.name));
    if (!spec) {
      const [near] = closestMatches(normalised(flag.name), byName.keys(), 1);
      const suggestion = near === undefined ? undefined : `--${near}`;
      throw new ArgumentError(
        wording.unknownOption(flag.typed, suggestion, listed),
        flag.typed,
        suggestion,
      );
    }
    if (values[spec.name] !== undefined)
      throw new ArgumentError(wording.givenTwice(spec.name), flag.typed);
    if (flag.value === '' && spec.type !== 'boolean')
      throw new ArgumentError(wording.missingValue(flag.typed), flag.typed);
    values[spec.name] = flag.value === '' ? 'true' : flag.value;
  }
  return values;
}

/** What the option list shows: the shortest way to type it (`--ar` for aspect). */
function shortestFlag(spec: ParameterSpec): string {
  const names = [spec.name, ...(spec.aliases ?? [])];
  const shortest = names.reduce((best, name) => (name.length < best.length ? name : best));
  return `--${normalised(shortest)}`;
}
