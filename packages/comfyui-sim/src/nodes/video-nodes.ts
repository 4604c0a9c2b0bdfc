import { averageColour } from '../image/rgb-image.js';
import type { NodeDefinition, NodeInputSpecs } from './types.js';
import {
  expectValue,
  optionalValue,
  type ConditioningValue,
  type LatentValue,
  type VideoLatentInfo,
  type VideoValue,
} from './values.js';
import { booleanInput, numberInput, stringInput } from './input-values.js';
import { EMPTY_LATENT_COLOUR, latentFramesFor } from './latent-render.js';
import { MAX_RESOLUTION } from './sampler-choices.js';
import { saveVideoFile } from './video-save.js';

const HIDDEN: NodeInputSpecs['hidden'] = { prompt: 'PROMPT', extra_pnginfo: 'EXTRA_PNGINFO' };

/** comfy_extras/nodes_wan.py: Wan 2.1/2.2 image-to-video conditioning and empty video latent. */
const wanImageToVideo: NodeDefinition = {
  classType: 'WanImageToVideo',
  displayName: 'WanImageToVideo',
  description: '',
  category: 'conditioning/video_models',
  pythonModule: 'comfy_extras.nodes_wan',
  outputNode: false,
  outputs: [
    { type: 'CONDITIONING', name: 'positive' },
    { type: 'CONDITIONING', name: 'negative' },
    { type: 'LATENT', name: 'latent' },
  ],
  inputTypes: () => ({
    required: {
      positive: ['CONDITIONING'],
      negative: ['CONDITIONING'],
      vae: ['VAE'],
      width: ['INT', { default: 832, min: 16, max: MAX_RESOLUTION, step: 16 }],
      height: ['INT', { default: 480, min: 16, max: MAX_RESOLUTION, step: 16 }],
      length: ['INT', { default: 81, min: 1, max: MAX_RESOLUTION, step: 4 }],
      batch_size: ['INT', { default: 1, min: 1, max: 4096 }],
    },
    optional: {
      clip_vision_output: ['CLIP_VISION_OUTPUT'],
      start_image: ['IMAGE'],
    },
  }),
  async execute(inputs) {
    const positive = expectValue(inputs['positive'], 'CONDITIONING', 'positive');
    const negative = expectValue(inputs['negative'], 'CONDITIONING', 'negative');
    expectValue(inputs['vae'], 'VAE', 'vae');
    const start = optionalValue(inputs['start_image'], 'IMAGE', 'start_image')?.images[0];
    const clipVision = optionalValue(
      inputs['clip_vision_output'],
      'CLIP_VISION_OUTPUT',
      'clip_vision_output',
    );
    // The start image and CLIP vision output go into the conditioning (concat_latent_image…).
    const extra = [
      start ? `start_image=${averageColour(start).join(',')}` : '',
      clipVision ? `clip_vision=${clipVision.summary}` : '',
    ]
      .filter(Boolean)
      .join('|');
    const condition = (c: ConditioningValue): ConditioningValue =>
      extra ? { kind: 'CONDITIONING', text: `${c.text}|${extra}` } : c;
    const video: VideoLatentInfo = {
      latentFrames: latentFramesFor(numberInput(inputs, 'length', 81)),
    };
    if (start) video.startImage = start;
    const latent: LatentValue = {
      kind: 'LATENT',
      width: numberInput(inputs, 'width', 832),
      height: numberInput(inputs, 'height', 480),
      samples: Array.from({ length: numberInput(inputs, 'batch_size', 1) }, () => ({
        colour: EMPTY_LATENT_COLOUR,
      })),
      video,
    };
    return { outputs: [condition(positive), condition(negative), latent] };
  },
};

const createVideo: NodeDefinition = {
  classType: 'CreateVideo',
  displayName: 'Create Video',
  description: 'Create a video from images.',
  category: 'image/video',
  pythonModule: 'comfy_extras.nodes_video',
  outputNode: false,
  outputs: [{ type: 'VIDEO', name: 'VIDEO' }],
  inputTypes: () => ({
    required: {
      images: ['IMAGE', { tooltip: 'The images to create a video from.' }],
      fps: ['FLOAT', { default: 30.0, min: 1.0, max: 120.0, step: 1.0 }],
    },
    optional: {
      audio: ['AUDIO', { tooltip: 'The audio to add to the video.' }],
    },
  }),
  async execute(inputs) {
    const images = expectValue(inputs['images'], 'IMAGE', 'images');
    const video: VideoValue = {
      kind: 'VIDEO',
      frames: images.images,
      fps: numberInput(inputs, 'fps', 30),
      width: images.width,
      height: images.height,
    };
    return { outputs: [video] };
  },
};

/** Real SaveVideo reports `{"images": [{filename, subfolder, type}], "animated": [true]}`. */
const saveVideo: NodeDefinition = {
  classType: 'SaveVideo',
  displayName: 'Save Video',
  description: 'Saves the input images to your ComfyUI output directory.',
  category: 'image/video',
  pythonModule: 'comfy_extras.nodes_video',
  outputNode: true,
  outputs: [],
  inputTypes: () => ({
    required: {
      video: ['VIDEO', { tooltip: 'The video to save.' }],
      filename_prefix: [
        'STRING',
        {
          default: 'video/ComfyUI',
          tooltip:
            'The prefix for the file to save. This may include formatting information such as %date:yyyy-MM-dd% or %Empty Latent Image.width% to include values from nodes.',
        },
      ],
      format: [['auto', 'mp4'], { default: 'auto', tooltip: 'The format to save the video as.' }],
      codec: [['auto', 'h264'], { default: 'auto', tooltip: 'The codec to use for the video.' }],
    },
    hidden: HIDDEN,
  }),
  async execute(inputs, ctx) {
    const video = expectValue(inputs['video'], 'VIDEO', 'video');
    const saved = await saveVideoFile(
      ctx,
      video.frames,
      video.fps,
      { container: 'mp4' },
      stringInput(inputs, 'filename_prefix', 'video/ComfyUI'),
      'mp4',
    );
    return { outputs: [], ui: { images: [saved], animated: [true] } };
  },
};

const saveWebm: NodeDefinition = {
  classType: 'SaveWEBM',
  displayName: 'SaveWEBM',
  description: '',
  category: 'image/video',
  pythonModule: 'comfy_extras.nodes_video',
  outputNode: true,
  outputs: [],
  inputTypes: () => ({
    required: {
      images: ['IMAGE'],
      filename_prefix: ['STRING', { default: 'ComfyUI' }],
      codec: [['vp9', 'av1']],
      fps: ['FLOAT', { default: 24.0, min: 0.01, max: 1000.0, step: 0.01 }],
      crf: [
        'FLOAT',
        {
          default: 32.0,
          min: 0,
          max: 63.0,
          step: 1,
          tooltip:
            'Higher crf means lower quality with a smaller file size, lower crf means higher quality higher filesize.',
        },
      ],
    },
    hidden: HIDDEN,
  }),
  async execute(inputs, ctx) {
    const images = expectValue(inputs['images'], 'IMAGE', 'images');
    const saved = await saveVideoFile(
      ctx,
      images.images,
      numberInput(inputs, 'fps', 24),
      {
        container: 'webm',
        codec: stringInput(inputs, 'codec', 'vp9') === 'av1' ? 'av1' : 'vp9',
        crf: numberInput(inputs, 'crf', 32),
      },
      stringInput(inputs, 'filename_prefix', 'ComfyUI'),
      'webm',
    );
    return { outputs: [], ui: { images: [saved], animated: [true] } };
  },
};

const saveAnimatedWebp: NodeDefinition = {
  classType: 'SaveAnimatedWEBP',
  displayName: 'SaveAnimatedWEBP',
  description: '',
  category: 'image/animation',
  pythonModule: 'comfy_extras.nodes_images',
  outputNode: true,
  outputs: [],
  inputTypes: () => ({
    required: {
      images: ['IMAGE'],
      filename_prefix: ['STRING', { default: 'ComfyUI' }],
      fps: ['FLOAT', { default: 6.0, min: 0.01, max: 1000.0, step: 0.01 }],
      lossless: ['BOOLEAN', { default: true }],
      quality: ['INT', { default: 80, min: 0, max: 100 }],
      method: [['default', 'fastest', 'slowest']],
    },
    hidden: HIDDEN,
  }),
  async execute(inputs, ctx) {
    const images = expectValue(inputs['images'], 'IMAGE', 'images');
    const saved = await saveVideoFile(
      ctx,
      images.images,
      numberInput(inputs, 'fps', 6),
      {
        container: 'webp',
        lossless: booleanInput(inputs, 'lossless', true),
        quality: numberInput(inputs, 'quality', 80),
        loop: 0,
      },
      stringInput(inputs, 'filename_prefix', 'ComfyUI'),
      'webp',
    );
    return { outputs: [], ui: { images: [saved], animated: [images.images.length !== 1] } };
  },
};

export const videoNodes: readonly NodeDefinition[] = [
  wanImageToVideo,
  createVideo,
  saveVideo,
  saveWebm,
  saveAnimatedWebp,
];
