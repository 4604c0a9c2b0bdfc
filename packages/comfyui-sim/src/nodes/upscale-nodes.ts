import { cappedSize, cropToAspect, resizeImage, type RgbImage } from '../image/rgb-image.js';
import type { NodeDefinition } from './types.js';
import { expectValue, type ImageValue, type LatentSample, type LatentValue } from './values.js';
import { numberInput, stringInput } from './input-values.js';
import { MAX_RESOLUTION } from './sampler-choices.js';

const IMAGE_UPSCALE_METHODS = ['nearest-exact', 'bilinear', 'area', 'bicubic', 'lanczos'];
const LATENT_UPSCALE_METHODS = ['nearest-exact', 'bilinear', 'area', 'bicubic', 'bislerp'];
const CROP_METHODS = ['disabled', 'center'];

/** ImageUpscaleWithModel's tiling: 512 px tiles overlapping by 32. */
const TILE = 512;
const TILE_OVERLAP = 32;

/** comfy.utils.get_tiled_scale_steps */
export function tiledScaleSteps(width: number, height: number): number {
  return Math.ceil(height / (TILE - TILE_OVERLAP)) * Math.ceil(width / (TILE - TILE_OVERLAP));
}

/** comfy.utils.common_upscale on rendered pixels: optional centre crop, then resample to the capped size. */
function scaleFrames(
  images: readonly RgbImage[],
  width: number,
  height: number,
  crop: string,
): RgbImage[] {
  const [renderWidth, renderHeight] = cappedSize(width, height);
  return images.map((image) =>
    resizeImage(
      crop === 'center' ? cropToAspect(image, width, height) : image,
      renderWidth,
      renderHeight,
    ),
  );
}

function scaledImage(image: ImageValue, width: number, height: number, crop: string): ImageValue {
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  return { kind: 'IMAGE', images: scaleFrames(image.images, w, h, crop), width: w, height: h };
}

function scaledLatent(
  latent: LatentValue,
  width: number,
  height: number,
  crop: string,
): LatentValue {
  const samples = latent.samples.map((sample): LatentSample =>
    'image' in sample
      ? { image: scaleFrames([sample.image], width, height, crop)[0] ?? sample.image }
      : sample,
  );
  return { ...latent, width, height, samples };
}

const imageUpscaleWithModel: NodeDefinition = {
  classType: 'ImageUpscaleWithModel',
  displayName: 'Upscale Image (using Model)',
  description: '',
  category: 'image/upscaling',
  pythonModule: 'comfy_extras.nodes_upscale_model',
  outputNode: false,
  outputs: [{ type: 'IMAGE', name: 'IMAGE' }],
  inputTypes: () => ({ required: { upscale_model: ['UPSCALE_MODEL'], image: ['IMAGE'] } }),
  async execute(inputs, ctx) {
    const model = expectValue(inputs['upscale_model'], 'UPSCALE_MODEL', 'upscale_model');
    const image = expectValue(inputs['image'], 'IMAGE', 'image');
    // One ProgressBar step per tile of every image, as comfy.utils.tiled_scale reports them.
    const steps = image.images.length * tiledScaleSteps(image.width, image.height);
    for (let step = 1; step <= steps; step++) {
      await ctx.step();
      ctx.progress(step, steps);
    }
    const upscaled = scaledImage(
      image,
      image.width * model.scale,
      image.height * model.scale,
      'disabled',
    );
    return { outputs: [upscaled] };
  },
};

const imageScale: NodeDefinition = {
  classType: 'ImageScale',
  displayName: 'Upscale Image',
  description: '',
  category: 'image/upscaling',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [{ type: 'IMAGE', name: 'IMAGE' }],
  inputTypes: () => ({
    required: {
      image: ['IMAGE'],
      upscale_method: [IMAGE_UPSCALE_METHODS],
      width: ['INT', { default: 512, min: 0, max: MAX_RESOLUTION, step: 1 }],
      height: ['INT', { default: 512, min: 0, max: MAX_RESOLUTION, step: 1 }],
      crop: [CROP_METHODS],
    },
  }),
  async execute(inputs) {
    const image = expectValue(inputs['image'], 'IMAGE', 'image');
    let width = numberInput(inputs, 'width', 512);
    let height = numberInput(inputs, 'height', 512);
    if (width === 0 && height === 0) return { outputs: [image] };
    if (width === 0) width = Math.max(1, Math.round((image.width * height) / image.height));
    else if (height === 0) height = Math.max(1, Math.round((image.height * width) / image.width));
    return {
      outputs: [scaledImage(image, width, height, stringInput(inputs, 'crop', 'disabled'))],
    };
  },
};

const imageScaleBy: NodeDefinition = {
  classType: 'ImageScaleBy',
  displayName: 'Upscale Image By',
  description: '',
  category: 'image/upscaling',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [{ type: 'IMAGE', name: 'IMAGE' }],
  inputTypes: () => ({
    required: {
      image: ['IMAGE'],
      upscale_method: [IMAGE_UPSCALE_METHODS],
      scale_by: ['FLOAT', { default: 1.0, min: 0.01, max: 8.0, step: 0.01 }],
    },
  }),
  async execute(inputs) {
    const image = expectValue(inputs['image'], 'IMAGE', 'image');
    const scale = numberInput(inputs, 'scale_by', 1);
    return {
      outputs: [scaledImage(image, image.width * scale, image.height * scale, 'disabled')],
    };
  },
};

const latentUpscale: NodeDefinition = {
  classType: 'LatentUpscale',
  displayName: 'Upscale Latent',
  description: '',
  category: 'latent',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [{ type: 'LATENT', name: 'LATENT' }],
  inputTypes: () => ({
    required: {
      samples: ['LATENT'],
      upscale_method: [LATENT_UPSCALE_METHODS],
      width: ['INT', { default: 512, min: 0, max: MAX_RESOLUTION, step: 8 }],
      height: ['INT', { default: 512, min: 0, max: MAX_RESOLUTION, step: 8 }],
      crop: [CROP_METHODS],
    },
  }),
  async execute(inputs) {
    const latent = expectValue(inputs['samples'], 'LATENT', 'samples');
    let width = numberInput(inputs, 'width', 512);
    let height = numberInput(inputs, 'height', 512);
    if (width === 0 && height === 0) return { outputs: [latent] };
    if (width === 0) {
      height = Math.max(64, height);
      width = Math.max(64, Math.round((latent.width * height) / latent.height));
    } else if (height === 0) {
      width = Math.max(64, width);
      height = Math.max(64, Math.round((latent.height * width) / latent.width));
    } else {
      width = Math.max(64, width);
      height = Math.max(64, height);
    }
    // The latent holds width // 8 × height // 8 cells.
    const crop = stringInput(inputs, 'crop', 'disabled');
    return {
      outputs: [scaledLatent(latent, Math.floor(width / 8) * 8, Math.floor(height / 8) * 8, crop)],
    };
  },
};

const latentUpscaleBy: NodeDefinition = {
  classType: 'LatentUpscaleBy',
  displayName: 'Upscale Latent By',
  description: '',
  category: 'latent',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [{ type: 'LATENT', name: 'LATENT' }],
  inputTypes: () => ({
    required: {
      samples: ['LATENT'],
      upscale_method: [LATENT_UPSCALE_METHODS],
      scale_by: ['FLOAT', { default: 1.5, min: 0.01, max: 8.0, step: 0.01 }],
    },
  }),
  async execute(inputs) {
    const latent = expectValue(inputs['samples'], 'LATENT', 'samples');
    const scale = numberInput(inputs, 'scale_by', 1.5);
    // round(latent cells * scale_by), in latent cells of 8 px.
    const width = Math.max(1, Math.round(Math.floor(latent.width / 8) * scale)) * 8;
    const height = Math.max(1, Math.round(Math.floor(latent.height / 8) * scale)) * 8;
    return { outputs: [scaledLatent(latent, width, height, 'disabled')] };
  },
};

export const upscaleNodes: readonly NodeDefinition[] = [
  imageUpscaleWithModel,
  imageScale,
  imageScaleBy,
  latentUpscale,
  latentUpscaleBy,
];
