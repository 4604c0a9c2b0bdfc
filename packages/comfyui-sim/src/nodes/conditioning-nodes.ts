import type { NodeDefinition } from './types.js';
import { expectValue, type ConditioningValue } from './values.js';
import { stringInput } from './input-values.js';

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

export const conditioningNodes: readonly NodeDefinition[] = [clipTextEncode];
