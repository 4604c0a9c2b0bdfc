import { ComfyRelayError } from '@comfyrelay/core';
import type { ImageSize } from '../ImagePluginOptions.js';

/** Aspect presets a frontend can offer next to width/height. */
export const ASPECT_PRESETS = ['1:1', '3:2', '2:3', '4:3', '3:4', '16:9', '9:16'] as const;

export type AspectPreset = (typeof ASPECT_PRESETS)[number];

/** An aspect ratio as its two sides ("16:9" → 16 across, 9 down; "3x2", "4/3" too). */
export function parseAspect(aspect: string): { across: number; down: number } {
  const match = /^\s*(\d+(?:\.\d+)?)\s*[:x×/]\s*(\d+(?:\.\d+)?)\s*$/.exec(aspect);
  const across = Number(match?.[1]);
  const down = Number(match?.[2]);
  if (!match || !(across > 0) || !(down > 0)) {
    throw new ComfyRelayError(
      `"${aspect}" is not an aspect ratio; use one like ${ASPECT_PRESETS.join(', ')}`,
    );
  }
  return { across, down };
}

/**
 * Width and height for an aspect ratio ("16:9") at about `pixels` pixels (default 512×512),
 * rounded to `multipleOf` (8 for SD latents, 16 for Flux). Pass the result as the `width` and
 * `height` parameters of a workflow.
 */
export function sizeForAspect(
  aspect: string,
  options: { pixels?: number; multipleOf?: number } = {},
): ImageSize {
  const { across, down } = parseAspect(aspect);
  const pixels = options.pixels ?? 512 * 512;
  const multipleOf = options.multipleOf ?? 8;
  const width = Math.sqrt((pixels * across) / down);
  const round = (value: number) =>
    Math.max(multipleOf, Math.round(value / multipleOf) * multipleOf);
  return { width: round(width), height: round(pixels / width) };
}
