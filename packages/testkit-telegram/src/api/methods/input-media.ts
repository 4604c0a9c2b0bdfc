import type { MediaType } from '../../records.js';
import type { FormattedText } from '../../validation/formatted.js';
import { badRequest } from '../api-error.js';
import type { FakeState } from '../method-context.js';
import type { Params } from '../params.js';
import { resolveMedia, type ResolvedMedia } from './resolve-media.js';
import { readCaption } from './text-checks.js';

const MEDIA_TYPES: MediaType[] = ['photo', 'document', 'video', 'animation'];

export interface ParsedInputMedia {
  media: ResolvedMedia;
  caption: FormattedText | undefined;
  parseMode: string | undefined;
}

/** Parses one InputMedia object (from sendMediaGroup or editMessageMedia) and stores its file. */
export function readInputMedia(
  value: unknown,
  params: Params,
  state: FakeState,
  forAlbum: boolean,
): ParsedInputMedia {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('expected an Object');
  }
  const fields = value as Record<string, unknown>;
  const type = fields['type'];
  if (typeof type !== 'string') throw invalid('Field "type" must be of type String');
  if (!MEDIA_TYPES.includes(type as MediaType)) throw invalid(`type "${type}" is unsupported`);
  if (forAlbum && type === 'animation')
    throw invalid(`type "${type}" can't be used in sendMediaGroup`);
  const ref =
    typeof fields['media'] === 'string' ? params.fileFromValue(fields['media']) : undefined;
  if (!ref) throw invalid('media not found');
  const parseMode = typeof fields['parse_mode'] === 'string' ? fields['parse_mode'] : undefined;
  const caption = readCaption(
    typeof fields['caption'] === 'string' ? fields['caption'] : undefined,
    parseMode,
    fields['caption_entities'],
    state.limits,
  );
  const media = resolveMedia(state, type as MediaType, ref, {
    width: numberField(fields['width']),
    height: numberField(fields['height']),
    duration: numberField(fields['duration']),
  });
  return { media, caption, parseMode };
}

function invalid(reason: string) {
  return badRequest(`can't parse InputMedia: ${reason}`);
}

function numberField(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
