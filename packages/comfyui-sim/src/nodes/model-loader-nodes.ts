import type { NodeDefinition } from './types.js';
import type {
  ClipValue,
  ClipVisionValue,
  ModelValue,
  UpscaleModelValue,
  VaeValue,
} from './values.js';
import { stringInput } from './input-values.js';

/** Loading "weights" takes a moment but reports no progress, like the real loaders. */
const LOAD_LATENCY_MS = 3;

// prettier-ignore
const CLIP_TYPES = [
  'stable_diffusion', 'stable_cascade', 'sd3', 'stable_audio', 'mochi', 'ltxv', 'pixart', 'cosmos',
  'lumina2', 'wan', 'hidream', 'chroma', 'ace', 'omnigen2', 'qwen_image', 'hunyuan_image', 'flux2',
  'ovis',
];

// prettier-ignore
const DUAL_CLIP_TYPES = [
  'sdxl', 'sd3', 'flux', 'hunyuan_video', 'hidream', 'hunyuan_image', 'hunyuan_video_15',
  'kandinsky5', 'kandinsky5_image',
];

const DEVICES = ['default', 'cpu'];

const unetLoader: NodeDefinition = {
  classType: 'UNETLoader',
  displayName: 'Load Diffusion Model',
  description: '',
  category: 'advanced/loaders',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [{ type: 'MODEL', name: 'MODEL' }],
  inputTypes: (catalog) => ({
    required: {
      unet_name: [catalog.diffusionModels],
      weight_dtype: [['default', 'fp8_e4m3fn', 'fp8_e4m3fn_fast', 'fp8_e5m2']],
    },
  }),
  async execute(inputs, ctx) {
    await ctx.pause(LOAD_LATENCY_MS);
    const model: ModelValue = {
      kind: 'MODEL',
      checkpoint: stringInput(inputs, 'unet_name', ''),
      loras: [],
    };
    return { outputs: [model] };
  },
};

const dualClipLoader: NodeDefinition = {
  classType: 'DualCLIPLoader',
  displayName: 'DualCLIPLoader',
  description:
    '[Recipes]\n\nsdxl: clip-l, clip-g\nsd3: clip-l, clip-g / clip-l, t5 / clip-g, t5\nflux: clip-l, t5\nhidream: at least one of t5 or llama, recommended t5 and llama\nhunyuan_image: qwen2.5vl 7b and byt5 small',
  category: 'advanced/loaders',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [{ type: 'CLIP', name: 'CLIP' }],
  inputTypes: (catalog) => ({
    required: {
      clip_name1: [catalog.textEncoders],
      clip_name2: [catalog.textEncoders],
      type: [DUAL_CLIP_TYPES],
    },
    optional: { device: [DEVICES, { advanced: true }] },
  }),
  async execute(inputs, ctx) {
    await ctx.pause(LOAD_LATENCY_MS);
    const names = [stringInput(inputs, 'clip_name1', ''), stringInput(inputs, 'clip_name2', '')];
    const clip: ClipValue = {
      kind: 'CLIP',
      checkpoint: `${names.join('+')}:${stringInput(inputs, 'type', 'sdxl')}`,
      loras: [],
    };
    return { outputs: [clip] };
  },
};

const clipLoader: NodeDefinition = {
  classType: 'CLIPLoader',
  displayName: 'Load CLIP',
  description:
    '[Recipes]\n\nstable_diffusion: clip-l\nstable_cascade: clip-g\nsd3: t5 xxl/ clip-g / clip-l\nstable_audio: t5 base\nmochi: t5 xxl\ncosmos: old t5 xxl\nlumina2: gemma 2 2B\nwan: umt5 xxl\n hidream: llama-3.1 (Recommend) or t5\nomnigen2: qwen vl 2.5 3B',
  category: 'advanced/loaders',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [{ type: 'CLIP', name: 'CLIP' }],
  inputTypes: (catalog) => ({
    required: {
      clip_name: [catalog.textEncoders],
      type: [CLIP_TYPES],
    },
    optional: { device: [DEVICES, { advanced: true }] },
  }),
  async execute(inputs, ctx) {
    await ctx.pause(LOAD_LATENCY_MS);
    const clip: ClipValue = {
      kind: 'CLIP',
      checkpoint: `${stringInput(inputs, 'clip_name', '')}:${stringInput(inputs, 'type', 'stable_diffusion')}`,
      loras: [],
    };
    return { outputs: [clip] };
  },
};

const vaeLoader: NodeDefinition = {
  classType: 'VAELoader',
  displayName: 'Load VAE',
  description: '',
  category: 'loaders',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [{ type: 'VAE', name: 'VAE' }],
  inputTypes: (catalog) => ({ required: { vae_name: [catalog.vaes] } }),
  async execute(inputs, ctx) {
    await ctx.pause(LOAD_LATENCY_MS);
    const vae: VaeValue = { kind: 'VAE', checkpoint: stringInput(inputs, 'vae_name', '') };
    return { outputs: [vae] };
  },
};

const clipVisionLoader: NodeDefinition = {
  classType: 'CLIPVisionLoader',
  displayName: 'Load CLIP Vision',
  description: '',
  category: 'loaders',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [{ type: 'CLIP_VISION', name: 'CLIP_VISION' }],
  inputTypes: (catalog) => ({ required: { clip_name: [catalog.clipVision] } }),
  async execute(inputs, ctx) {
    await ctx.pause(LOAD_LATENCY_MS);
    const clipVision: ClipVisionValue = {
      kind: 'CLIP_VISION',
      name: stringInput(inputs, 'clip_name', ''),
    };
    return { outputs: [clipVision] };
  },
};

/** "4x-UltraSharp.pth" → 4, "RealESRGAN_x2plus.pth" → 2; 4 when the name says nothing. */
export function upscaleFactorOf(name: string): number {
  const match = /(?:^|[^a-z0-9])(\d)x|x(\d)(?:[^0-9]|$)/i.exec(name);
  const factor = Number(match?.[1] ?? match?.[2] ?? 4);
  return factor >= 1 && factor <= 8 ? factor : 4;
}

const upscaleModelLoader: NodeDefinition = {
  classType: 'UpscaleModelLoader',
  displayName: 'Load Upscale Model',
  description: '',
  category: 'loaders',
  pythonModule: 'comfy_extras.nodes_upscale_model',
  outputNode: false,
  outputs: [{ type: 'UPSCALE_MODEL', name: 'UPSCALE_MODEL' }],
  inputTypes: (catalog) => ({ required: { model_name: [catalog.upscaleModels] } }),
  async execute(inputs, ctx) {
    await ctx.pause(LOAD_LATENCY_MS);
    const name = stringInput(inputs, 'model_name', '');
    const model: UpscaleModelValue = { kind: 'UPSCALE_MODEL', name, scale: upscaleFactorOf(name) };
    return { outputs: [model] };
  },
};

export const modelLoaderNodes: readonly NodeDefinition[] = [
  unetLoader,
  dualClipLoader,
  clipLoader,
  vaeLoader,
  clipVisionLoader,
  upscaleModelLoader,
];
