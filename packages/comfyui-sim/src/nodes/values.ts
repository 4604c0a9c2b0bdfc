import type { Rgb, RgbImage } from '../image/rgb-image.js';
import { NodeFailure } from './types.js';

/** The simulated tensors and models flowing along links. */
export interface ModelValue {
  kind: 'MODEL';
  checkpoint: string;
  loras: readonly string[];
}
export interface ClipValue {
  kind: 'CLIP';
  checkpoint: string;
  loras: readonly string[];
}
export interface VaeValue {
  kind: 'VAE';
  checkpoint: string;
}
export interface ConditioningValue {
  kind: 'CONDITIONING';
  text: string;
}
/** One latent of a batch: a flat colour still to be decoded, or pixels carried through VAEEncode. */
export type LatentSample = { colour: Rgb } | { image: RgbImage };
export interface LatentValue {
  kind: 'LATENT';
  width: number;
  height: number;
  samples: readonly LatentSample[];
}
export interface ImageValue {
  kind: 'IMAGE';
  images: readonly RgbImage[];
}
export interface MaskValue {
  kind: 'MASK';
  width: number;
  height: number;
}

type Value =
  ModelValue | ClipValue | VaeValue | ConditioningValue | LatentValue | ImageValue | MaskValue;
type ValueOfKind<K extends Value['kind']> = Extract<Value, { kind: K }>;

/** Narrows a linked input; a wrong value fails like Python would on a wrong object. */
export function expectValue<K extends Value['kind']>(
  value: unknown,
  kind: K,
  inputName: string,
): ValueOfKind<K> {
  if (typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === kind) {
    return value as ValueOfKind<K>;
  }
  const found =
    value === null || value === undefined
      ? 'NoneType'
      : typeof value === 'object'
        ? 'object'
        : typeof value;
  throw new NodeFailure(
    `'${found}' object is not a valid ${kind} (input '${inputName}')`,
    'AttributeError',
  );
}

/** A short str()-like rendering for execution_error current_inputs. */
export function describeValue(value: unknown): unknown {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value;
  if (typeof value === 'object' && value !== null && 'kind' in value) {
    return `<sim ${(value as { kind: string }).kind} object>`;
  }
  return String(value);
}
