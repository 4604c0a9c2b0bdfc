import type { Rgb, RgbImage } from '../image/rgb-image.js';
import { NodeFailure } from './types.js';

/** The simulated tensors and models flowing along links. */
export interface ModelValue {
  kind: 'MODEL';
  /** The checkpoint or diffusion-model file it came from. */
  checkpoint: string;
  /** LoRAs and patches applied (ModelSampling…), in order; they change the pictures. */
  loras: readonly string[];
}
export interface ClipValue {
  kind: 'CLIP';
  /** The checkpoint, or the text-encoder file(s) and type, it came from. */
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
/** What makes a latent a video latent (Wan / Hunyuan layout: [batch, 16, T, H/8, W/8]). */
export interface VideoLatentInfo {
  /** T = (length - 1) / 4 + 1; decodes to (T - 1) * 4 + 1 frames. */
  latentFrames: number;
  /** WanImageToVideo's start_image: the first decoded frame shows it. */
  startImage?: RgbImage;
}
export interface LatentValue {
  kind: 'LATENT';
  /** The size in pixels the latent stands for (not capped). */
  width: number;
  height: number;
  samples: readonly LatentSample[];
  /** Only on video latents; samplers and upscalers carry it through. */
  video?: VideoLatentInfo;
}
export interface ImageValue {
  kind: 'IMAGE';
  /** The batch's pixels, drawn at a capped size (at most 256 px a side, 128 for video frames); SaveImage enlarges them to width × height. */
  images: readonly RgbImage[];
  /** The size the batch stands for in ComfyUI (what ImageScale, upscalers and VAEEncode use). */
  width: number;
  height: number;
}
export interface MaskValue {
  kind: 'MASK';
  width: number;
  height: number;
}

export interface NoiseValue {
  kind: 'NOISE';
  seed: number;
}
export interface SamplerValue {
  kind: 'SAMPLER';
  name: string;
}
/** A sigma schedule: `steps` is len(sigmas) - 1, the progress max of a custom sampler. */
export interface SigmasValue {
  kind: 'SIGMAS';
  steps: number;
  denoise: number;
  settings: string;
}
export interface GuiderValue {
  kind: 'GUIDER';
  model: ModelValue;
  positive: ConditioningValue;
  negative: ConditioningValue;
  settings: string;
}
export interface UpscaleModelValue {
  kind: 'UPSCALE_MODEL';
  name: string;
  scale: number;
}
export interface ClipVisionValue {
  kind: 'CLIP_VISION';
  name: string;
}
export interface ClipVisionOutputValue {
  kind: 'CLIP_VISION_OUTPUT';
  /** Folded into the conditioning text of nodes that use it. */
  summary: string;
}
export interface VideoValue {
  kind: 'VIDEO';
  frames: readonly RgbImage[];
  fps: number;
  width: number;
  height: number;
}

type Value =
  | ModelValue
  | ClipValue
  | VaeValue
  | ConditioningValue
  | LatentValue
  | ImageValue
  | MaskValue
  | NoiseValue
  | SamplerValue
  | SigmasValue
  | GuiderValue
  | UpscaleModelValue
  | ClipVisionValue
  | ClipVisionOutputValue
  | VideoValue;
type ValueOfKind<K extends Value['kind']> = Extract<Value, { kind: K }>;

/** An optional linked input: undefined when absent, otherwise narrowed like expectValue. */
export function optionalValue<K extends Value['kind']>(
  value: unknown,
  kind: K,
  inputName: string,
): ValueOfKind<K> | undefined {
  return value === undefined || value === null ? undefined : expectValue(value, kind, inputName);
}

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
