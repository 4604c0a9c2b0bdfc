import type { NodeDefinition } from './types.js';
import { averageColour } from '../image/rgb-image.js';
import { expectValue, type ClipVisionOutputValue, type ConditioningValue } from './values.js';
import { numberInput, stringInput } from './input-values.js';

const ENCODE_LATENCY_MS = 1;

const clipTextEncode: NodeDefinition = {
  classType: 'CLIPTextEncode',
  displayName: 'CLIP Text Encode (Prompt)',
  description:
    'Encodes a text prompt using a CLIP model into an embedding that can be used to guide the diffusion model towards generating specific images.',
  category: 'conditioning',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [{ type: 'CONDITIONING', name: 'CONDITIONING' }],
  inputTypes: () => ({
    required: {
      text: [
        'STRING',
        { multiline: true, dynamicPrompts: true, tooltip: 'The text to be encoded.' },
      ],
      clip: ['CLIP', { tooltip: 'The CLIP model used for encoding the text.' }],
    },
  }),
  async execute(inputs, ctx) {
    const clip = expectValue(inputs['clip'], 'CLIP', 'clip');
    await ctx.pause(ENCODE_LATENCY_MS);
    const text = stringInput(inputs, 'text', '');
    const conditioning: ConditioningValue = {
      kind: 'CONDITIONING',
      text: [text, clip.checkpoint, ...clip.loras].join('|'),
    };
    return { outputs: [conditioning] };
  },
};

const fluxGuidance: NodeDefinition = {
  classType: 'FluxGuidance',
  displayName: 'FluxGuidance',
  description: '',
  category: 'advanced/conditioning/flux',
  pythonModule: 'comfy_extras.nodes_flux',
  outputNode: false,
  outputs: [{ type: 'CONDITIONING', name: 'CONDITIONING' }],
  inputTypes: () => ({
    required: {
      conditioning: ['CONDITIONING'],
      guidance: ['FLOAT', { default: 3.5, min: 0.0, max: 100.0, step: 0.1 }],
    },
  }),
  async execute(inputs) {
    const conditioning = expectValue(inputs['conditioning'], 'CONDITIONING', 'conditioning');
    const guided: ConditioningValue = {
      kind: 'CONDITIONING',
      text: `${conditioning.text}|guidance=${numberInput(inputs, 'guidance', 3.5)}`,
    };
    return { outputs: [guided] };
  },
};

const clipVisionEncode: NodeDefinition = {
  classType: 'CLIPVisionEncode',
  displayName: 'CLIP Vision Encode',
  description: '',
  category: 'conditioning',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [{ type: 'CLIP_VISION_OUTPUT', name: 'CLIP_VISION_OUTPUT' }],
  inputTypes: () => ({
    required: {
      clip_vision: ['CLIP_VISION'],
      image: ['IMAGE'],
      crop: [['center', 'none']],
    },
  }),
  async execute(inputs, ctx) {
    const clipVision = expectValue(inputs['clip_vision'], 'CLIP_VISION', 'clip_vision');
    const image = expectValue(inputs['image'], 'IMAGE', 'image');
    await ctx.pause(ENCODE_LATENCY_MS);
    const colours = image.images.map((frame) => averageColour(frame).join(','));
    const output: ClipVisionOutputValue = {
      kind: 'CLIP_VISION_OUTPUT',
      summary: `${clipVision.name}:${stringInput(inputs, 'crop', 'center')}:${colours.join(';')}`,
    };
    return { outputs: [output] };
  },
};

export const conditioningNodes: readonly NodeDefinition[] = [
  clipTextEncode,
  fluxGuidance,
  clipVisionEncode,
];
