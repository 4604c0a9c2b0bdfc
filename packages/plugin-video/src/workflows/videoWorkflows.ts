import type { ApiWorkflow, FollowUpAction, WorkflowDefinition } from '@comfyrelay/core';
import {
  VideoProgressInterpreter,
  type VideoProgressWeights,
} from '../progress/VideoProgressInterpreter.js';
import { loadTemplate } from './loadTemplate.js';
import { videoOutput, withVideoOutput, type VideoFormat } from './videoOutputs.js';
import {
  at,
  cfgParameter,
  fpsParameter,
  framesParameter,
  imageParameter,
  negativeParameter,
  promptParameter,
  seedParameter,
  sizeParameters,
  stepsParameter,
} from './videoParameters.js';
import { applyWanSchedule, roundWanFrames, type WanLayout } from './wanSchedule.js';

export const TEXT_TO_VIDEO = 'video.text-to-video';
export const IMAGE_TO_VIDEO = 'video.image-to-video';

/** Video jobs run for minutes; half an hour before one is given up. */
export const DEFAULT_VIDEO_DEADLINE_MS = 30 * 60_000;

/** The two diffusion models of a Wan 2.2 14B pair. */
export interface WanModelPair {
  high: string;
  low: string;
}

export interface WanModels {
  textToVideo: WanModelPair;
  imageToVideo: WanModelPair;
  textEncoder: string;
  vae: string;
}

/** The file names ComfyUI's Wan 2.2 templates download (split_files of Comfy-Org/Wan_2.2_ComfyUI_Repackaged). */
export const defaultWanModels: Readonly<WanModels> = Object.freeze({
  textToVideo: {
    high: 'wan2.2_t2v_high_noise_14B_fp8_scaled.safetensors',
    low: 'wan2.2_t2v_low_noise_14B_fp8_scaled.safetensors',
  },
  imageToVideo: {
    high: 'wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors',
    low: 'wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors',
  },
  textEncoder: 'umt5_xxl_fp8_e4m3fn_scaled.safetensors',
  vae: 'wan_2.1_vae.safetensors',
});

export interface VideoWorkflowOptions {
  /** Which node writes the file (default `mp4`: CreateVideo + SaveVideo). */
  format?: VideoFormat;
  /** Model file names, when the server's differ from ComfyUI's templates. */
  models?: {
    textToVideo?: Partial<WanModelPair>;
    imageToVideo?: Partial<WanModelPair>;
    textEncoder?: string;
    vae?: string;
  };
  /** Default 30 minutes. */
  deadlineMs?: number;
  /** Shares of the bar (default sampling 0.8, decode 0.1, encode 0.1). */
  progressWeights?: Partial<VideoProgressWeights>;
}

/** Node ids shared by both templates (as in ComfyUI's Wan 2.2 templates). */
const node = {
  highModel: '37',
  lowModel: '56',
  textEncoder: '38',
  vae: '39',
  positive: '6',
  negative: '7',
  highSampler: '57',
  lowSampler: '58',
  decode: '8',
  emptyLatent: '59',
  imageToVideo: '50',
  loadImage: '52',
} as const;

/** Id of a workflow in a format: the default format keeps the plain id. */
export function videoWorkflowId(base: string, format: VideoFormat = 'mp4'): string {
  return format === 'mp4' ? base : `${base}.${format}`;
}

export function textToVideoDefinition(options: VideoWorkflowOptions = {}): WorkflowDefinition {
  const format = options.format ?? 'mp4';
  const output = videoOutput(format);
  const template = prepareTemplate('wan22-text-to-video', format, options, 'textToVideo');
  const layout: WanLayout = {
    highSampler: node.highSampler,
    lowSampler: node.lowSampler,
    latent: node.emptyLatent,
  };
  return {
    id: videoWorkflowId(TEXT_TO_VIDEO, format),
    title: format === 'mp4' ? 'Text to video' : `Text to video (${output.label})`,
    description: 'A short video from a prompt, with Wan 2.2 (high- and low-noise models)',
    template,
    parameters: [
      promptParameter(at(node.positive, 'text')),
      negativeParameter(at(node.negative, 'text')),
      ...sizeParameters(
        { width: 832, height: 480 },
        at(node.emptyLatent, 'width'),
        at(node.emptyLatent, 'height'),
      ),
      framesParameter(at(node.emptyLatent, 'length')),
      fpsParameter(output.fps),
      ...commonSamplingParameters(),
    ],
    outputs: [output.output],
    actions: [rerollAction()],
    progress: new VideoProgressInterpreter(options.progressWeights),
    prepare: (values) => roundWanFrames(values),
    finalize: (graph) => applyWanSchedule(graph, layout),
    deadlineMs: options.deadlineMs ?? DEFAULT_VIDEO_DEADLINE_MS,
  };
}

/**
 * Animates a picture. plugin-image's "animate" action hands its result over by this id with
 * `image` (and its `prompt`), so both keep those names.
 */
export function imageToVideoDefinition(options: VideoWorkflowOptions = {}): WorkflowDefinition {
  const format = options.format ?? 'mp4';
  const output = videoOutput(format);
  const template = prepareTemplate('wan22-image-to-video', format, options, 'imageToVideo');
  const layout: WanLayout = {
    highSampler: node.highSampler,
    lowSampler: node.lowSampler,
    latent: node.imageToVideo,
  };
  return {
    id: videoWorkflowId(IMAGE_TO_VIDEO, format),
    title: format === 'mp4' ? 'Image to video' : `Image to video (${output.label})`,
    description: 'Brings a picture to life with Wan 2.2 (high- and low-noise models)',
    template,
    parameters: [
      imageParameter(at(node.loadImage, 'image')),
      promptParameter(at(node.positive, 'text'), 'natural motion, the camera moves gently'),
      negativeParameter(at(node.negative, 'text')),
      ...sizeParameters(
        { width: 640, height: 640 },
        at(node.imageToVideo, 'width'),
        at(node.imageToVideo, 'height'),
      ),
      framesParameter(at(node.imageToVideo, 'length')),
      fpsParameter(output.fps),
      ...commonSamplingParameters(),
    ],
    outputs: [output.output],
    progress: new VideoProgressInterpreter(options.progressWeights),
    prepare: (values) => roundWanFrames(values),
    finalize: (graph) => applyWanSchedule(graph, layout),
    deadlineMs: options.deadlineMs ?? DEFAULT_VIDEO_DEADLINE_MS,
  };
}

function commonSamplingParameters() {
  const bothSamplers = (input: string) => [at(node.highSampler, input), at(node.lowSampler, input)];
  return [
    // The low-noise pass adds no noise: the seed only matters to the first pass.
    seedParameter(at(node.highSampler, 'noise_seed')),
    stepsParameter(bothSamplers('steps')),
    cfgParameter(bothSamplers('cfg')),
  ];
}

function prepareTemplate(
  name: string,
  format: VideoFormat,
  options: VideoWorkflowOptions,
  pair: 'textToVideo' | 'imageToVideo',
): ApiWorkflow {
  const template = withVideoOutput(loadTemplate(name), format, [node.decode, 0]);
  const models = options.models ?? {};
  const set = (id: string, input: string, value: string) => {
    const target = template[id];
    if (target) target.inputs[input] = value;
  };
  set(node.highModel, 'unet_name', models[pair]?.high ?? defaultWanModels[pair].high);
  set(node.lowModel, 'unet_name', models[pair]?.low ?? defaultWanModels[pair].low);
  set(node.textEncoder, 'clip_name', models.textEncoder ?? defaultWanModels.textEncoder);
  set(node.vae, 'vae_name', models.vae ?? defaultWanModels.vae);
  return template;
}

/** Same settings, new seed. */
function rerollAction(): FollowUpAction {
  return {
    id: 'reroll',
    label: 'Reroll',
    parameters: (previous) => {
      const { seed: _seed, ...rest } = previous;
      return rest;
    },
  };
}
