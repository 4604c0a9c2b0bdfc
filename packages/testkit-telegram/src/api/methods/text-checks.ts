import { formatText } from '../../validation/format-text.js';
import type { FormattedText } from '../../validation/formatted.js';
import { badRequest } from '../api-error.js';
import type { SizeLimits } from '../method-context.js';
import type { Params } from '../params.js';

/** Reads `text` with parse_mode/entities and enforces Telegram's length rules. */
export function readMessageText(params: Params, limits: SizeLimits): FormattedText {
  const formatted = formatText(
    params.string('text') ?? '',
    params.string('parse_mode'),
    params.json('entities', 'entities'),
  );
  if (formatted.text === '') throw badRequest('message text is empty');
  if ([...formatted.text].length > limits.textLength) throw badRequest('message is too long');
  return formatted;
}

/** Reads a caption (from the method or from an InputMedia object); undefined when there is none. */
export function readCaption(
  caption: string | undefined,
  parseMode: string | undefined,
  entities: unknown,
  limits: SizeLimits,
): FormattedText | undefined {
  if (caption === undefined || caption === '') return undefined;
  const formatted = formatText(caption, parseMode, entities);
  if ([...formatted.text].length > limits.captionLength) {
    throw badRequest('message caption is too long');
  }
  return formatted.text === '' ? undefined : formatted;
}
