import type { OutputKind } from '@comfyrelay/core';

/** Samplers whose settings (seed, steps, cfg …) become parameters. */
export const SAMPLER_CLASSES: ReadonlySet<string> = new Set([
  'KSampler',
  'KSamplerAdvanced',
  'SamplerCustom',
  'SamplerCustomAdvanced',
]);

/** Text encoders and their prompt inputs, main one first (the others are bound when they hold the same text). */
export const TEXT_ENCODERS: Readonly<Record<string, readonly string[]>> = {
  CLIPTextEncode: ['text'],
  CLIPTextEncodeSDXL: ['text_g', 'text_l'],
  CLIPTextEncodeSDXLRefiner: ['text'],
  CLIPTextEncodeSD3: ['t5xxl', 'clip_g', 'clip_l'],
  CLIPTextEncodeFlux: ['t5xxl', 'clip_l'],
  CLIPTextEncodeHunyuanDiT: ['mt5xl', 'bert'],
  TextEncodeHunyuanVideo_ImageToVideo: ['prompt'],
  CLIPTextEncodeLumina2: ['user_prompt'],
};

/** An encoder we do not know: a `…TextEncode…` class with a `text` or `prompt` input. */
export function textInputsOf(
  classType: string,
  inputs: Record<string, unknown>,
): readonly string[] | undefined {
  const known = TEXT_ENCODERS[classType];
  if (known) return known;
  if (!/TextEncode/i.test(classType)) return undefined;
  return ['text', 'prompt'].filter((name) => name in inputs);
}

/** Conditioning nodes that pass text through, by output index → the inputs it came from. */
export const CONDITIONING_ROUTES: Readonly<Record<string, readonly string[]>> = {
  FluxGuidance: ['conditioning'],
  ConditioningCombine: ['conditioning_1', 'conditioning_2'],
  ConditioningConcat: ['conditioning_to', 'conditioning_from'],
  ConditioningAverage: ['conditioning_to', 'conditioning_from'],
  ConditioningSetArea: ['conditioning'],
  ConditioningSetAreaPercentage: ['conditioning'],
  ConditioningSetAreaStrength: ['conditioning'],
  ConditioningSetMask: ['conditioning'],
  ConditioningSetTimestepRange: ['conditioning'],
  ControlNetApply: ['conditioning'],
  StyleModelApply: ['conditioning'],
  unCLIPConditioning: ['conditioning'],
};

/** Conditioning that carries no text: a negative built from it is intentionally empty. */
export const EMPTY_CONDITIONING: ReadonlySet<string> = new Set(['ConditioningZeroOut']);

/** Nodes that start a latent and fix the picture's (or video's) size. */
export const LATENT_SOURCES: ReadonlySet<string> = new Set([
  'EmptyLatentImage',
  'EmptySD3LatentImage',
  'EmptyHunyuanLatentVideo',
  'EmptyHunyuanImageLatent',
  'EmptyMochiLatentVideo',
  'EmptyLTXVLatentVideo',
  'EmptyCosmosLatentVideo',
  'EmptyChromaRadianceLatentImage',
  'EmptyAceStepLatentAudio',
  'WanImageToVideo',
  'WanFirstLastFrameToVideo',
  'Wan22ImageToVideoLatent',
  'HunyuanImageToVideo',
  'LTXVImgToVideo',
  'CosmosImageToVideoLatent',
  'StableCascade_EmptyLatentImage',
]);

/** Inputs a latent travels through, walking from a sampler back to where the latent was made. */
export const LATENT_PATH_INPUTS: readonly string[] = [
  'latent_image',
  'samples',
  'latent',
  'pixels',
  'image',
  'images',
  'start_image',
];

/** Model patches that repeat the picture size and must follow it. */
export const SIZE_FOLLOWERS: ReadonlySet<string> = new Set(['ModelSamplingFlux']);

export const LORA_LOADERS: ReadonlySet<string> = new Set(['LoraLoader', 'LoraLoaderModelOnly']);

export const IMAGE_LOADERS: ReadonlySet<string> = new Set(['LoadImage']);

export interface OutputClass {
  kind: OutputKind;
  mime?: string;
}

/** Save/preview nodes whose files a chat command delivers. */
export const OUTPUT_CLASSES: Readonly<Record<string, OutputClass>> = {
  SaveImage: { kind: 'image', mime: 'image/png' },
  PreviewImage: { kind: 'image', mime: 'image/png' },
  SaveAnimatedWEBP: { kind: 'animated-image', mime: 'image/webp' },
  SaveAnimatedPNG: { kind: 'animated-image', mime: 'image/png' },
  SaveWEBM: { kind: 'video', mime: 'video/webm' },
  SaveVideo: { kind: 'video', mime: 'video/mp4' },
  VHS_VideoCombine: { kind: 'video', mime: 'video/mp4' },
};

/** Output nodes that write no picture (text, audio, latents …): they still count as outputs for ComfyUI. */
export const OTHER_OUTPUT_CLASSES: ReadonlySet<string> = new Set([
  'SaveLatent',
  'SaveAudio',
  'SaveAudioMP3',
  'SaveAudioOpus',
  'PreviewAudio',
  'SaveImageWebsocket',
  'SaveGLB',
  'PreviewAny',
  'CheckpointSave',
  'ImageAndMaskPreview',
]);

/** Without /object_info, a custom class whose name says it saves or shows something is taken for an output node. */
export const LIKELY_OUTPUT_NAME = /save|preview|combine|show|display|output/i;
