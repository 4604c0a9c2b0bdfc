import { ComfyRelayError, ParameterError, type ParameterValues } from '@comfyrelay/core';
import { MIN_SIDE, type ImageSize } from '../ImagePluginOptions.js';
import { parseAspect, sizeForAspect } from './sizeForAspect.js';

export interface AspectRules {
  /** The workflow's default size: a width or height equal to it counts as not given. */
  defaults: ImageSize;
  multipleOf: number;
  maxSide: number;
}

/**
 * The `prepare` step of the `aspect` parameter: `16:9` sets width and height at about the
 * default size's pixel count; a width or height the user gave wins, and the other side follows
 * the ratio; both given, the aspect changes nothing. Sides stay within the limits and multiples
 * the model needs. Without `given` (called outside the relay), a side differing from the default
 * counts as given.
 */
export function applyAspect(
  values: ParameterValues,
  rules: AspectRules,
  given?: ReadonlySet<string>,
): ParameterValues {
  const aspect = values['aspect'];
  if (typeof aspect !== 'string' || aspect.trim() === '') return values;
  let ratio: { across: number; down: number };
  try {
    ratio = parseAspect(aspect);
  } catch (error) {
    const message = error instanceof ComfyRelayError ? error.message : String(error);
    throw new ParameterError([{ parameter: 'aspect', message: `aspect ${message}` }]);
  }
  const width = Number(values['width'] ?? rules.defaults.width);
  const height = Number(values['height'] ?? rules.defaults.height);
  const widthGiven = given ? given.has('width') : width !== rules.defaults.width;
  const heightGiven = given ? given.has('height') : height !== rules.defaults.height;
  if (widthGiven && heightGiven) return values;
  const size = widthGiven
    ? { width, height: (width * ratio.down) / ratio.across }
    : heightGiven
      ? { width: (height * ratio.across) / ratio.down, height }
      : sizeForAspect(aspect, {
          pixels: rules.defaults.width * rules.defaults.height,
          multipleOf: rules.multipleOf,
        });
  return { ...values, ...withinLimits(size, rules) };
}

/** Scaled down to fit the largest side, rounded to the multiple, no side below the minimum. */
function withinLimits(size: ImageSize, rules: AspectRules): ImageSize {
  const shrink = Math.min(1, rules.maxSide / Math.max(size.width, size.height));
  const step = rules.multipleOf;
  const lowest = Math.ceil(MIN_SIDE / step) * step;
  const highest = Math.floor(rules.maxSide / step) * step;
  const side = (value: number) =>
    Math.min(highest, Math.max(lowest, Math.round((value * shrink) / step) * step));
  return { width: side(size.width), height: side(size.height) };
}
