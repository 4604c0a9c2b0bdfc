import type { ParameterSpec } from '@comfyrelay/core';
import { bold, escapeText, subtle, type Markup } from '../text/Markup.js';
import { cutOnWord } from '../text/cutOnWord.js';
import { englishWording } from '../wording/englishWording.js';
import type { Wording } from '../wording/Wording.js';

export interface ResultCaptionInput {
  /** The values the generation ran with (`record.parameters`). */
  parameters: Readonly<Record<string, unknown>>;
  /** The workflow's parameter specs: their defaults are left out, their order kept. */
  specs?: readonly ParameterSpec[];
  /** Default: the `prompt` parameter. */
  title?: string;
  requester?: string;
  markup: Markup;
  /** The platform's caption limit. */
  maxLength: number;
  wording?: Wording;
}

export interface ResultCaption {
  text: string;
  /** False when the parameters did not fit: offer a "parameters" button instead. */
  parametersShown: boolean;
}

/** The title shows the prompt already. */
const NOT_LISTED = new Set(['prompt']);

/**
 * The caption under a result: the prompt (and who asked), then the seed and every parameter
 * that differs from its default — or, when those do not fit the caption, only the title.
 */
export function resultCaption(input: ResultCaptionInput): ResultCaption {
  const wording = input.wording ?? englishWording;
  const e = (text: string) => escapeText(text, input.markup);
  const prompt = input.parameters['prompt'];
  const titleText = input.title ?? (typeof prompt === 'string' ? prompt : '');
  const suffix = input.requester ? ` - ${e(input.requester)}` : '';
  const room = Math.max(20, Math.floor(input.maxLength / 2));
  const title = bold(e(cutOnWord(titleText, room)), input.markup) + suffix;
  const line = parameterSummary(input.parameters, input.specs, wording);
  const withParameters = line === '' ? title : `${title}\n${subtle(e(line), input.markup)}`;
  if (withParameters.length <= input.maxLength)
    return { text: withParameters, parametersShown: true };
  return { text: title, parametersShown: false };
}

/** `seed 42 · steps 30 · 768×512 · aspect 16:9`: what is not a default, seed first. */
export function parameterSummary(
  parameters: Readonly<Record<string, unknown>>,
  specs: readonly ParameterSpec[] | undefined,
  wording: Wording = englishWording,
): string {
  const defaults = new Map(specs?.map((spec) => [spec.name, spec.default]));
  // A picture given as input is a file name on the server: nothing to read in a caption.
  const pictures = new Set(specs?.filter((spec) => spec.type === 'image').map((spec) => spec.name));
  const order = specs?.map((spec) => spec.name) ?? Object.keys(parameters);
  const parts: string[] = [];
  const seed = parameters['seed'];
  if (typeof seed === 'number' || typeof seed === 'string') parts.push(wording.seed(seed));
  const { width, height } = parameters;
  const sized = typeof width === 'number' && typeof height === 'number';
  if (sized) parts.push(`${width}×${height}`);
  for (const name of order) {
    const value = parameters[name];
    if (
      NOT_LISTED.has(name) ||
      pictures.has(name) ||
      name === 'seed' ||
      (sized && (name === 'width' || name === 'height'))
    )
      continue;
    if (!isShown(value) || value === defaults.get(name)) continue;
    parts.push(`${name} ${String(value)}`);
  }
  return parts.join(' · ');
}

/** Every parameter, one per line: what the "parameters" button answers. */
export function parametersText(
  parameters: Readonly<Record<string, unknown>>,
  markup: Markup,
): string {
  return Object.entries(parameters)
    .filter(([, value]) => isShown(value))
    .map(
      ([name, value]) =>
        `${bold(escapeText(name, markup), markup)}: ${escapeText(String(value), markup)}`,
    )
    .join('\n');
}

function isShown(value: unknown): value is string | number | boolean {
  return (
    (typeof value === 'string' && value !== '') ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  );
}
