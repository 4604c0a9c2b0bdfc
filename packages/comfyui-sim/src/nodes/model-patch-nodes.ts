import type { NodeDefinition } from './types.js';
import { expectValue, type ModelValue } from './values.js';
import { numberInput } from './input-values.js';
import { MAX_RESOLUTION } from './sampler-choices.js';

const PYTHON_MODULE = 'comfy_extras.nodes_model_advanced';

/** A patched clone: the patch joins the model's modifications, so it changes the pictures. */
function patched(model: ModelValue, patch: string): ModelValue {
  return { ...model, loras: [...model.loras, patch] };
}

const modelSamplingFlux: NodeDefinition = {
  classType: 'ModelSamplingFlux',
  displayName: 'ModelSamplingFlux',
  description: '',
  category: 'advanced/model',
  pythonModule: PYTHON_MODULE,
  outputNode: false,
  outputs: [{ type: 'MODEL', name: 'MODEL' }],
  inputTypes: () => ({
    required: {
      model: ['MODEL'],
      max_shift: ['FLOAT', { default: 1.15, min: 0.0, max: 100.0, step: 0.01 }],
      base_shift: ['FLOAT', { default: 0.5, min: 0.0, max: 100.0, step: 0.01 }],
      width: ['INT', { default: 1024, min: 16, max: MAX_RESOLUTION, step: 8 }],
      height: ['INT', { default: 1024, min: 16, max: MAX_RESOLUTION, step: 8 }],
    },
  }),
  async execute(inputs) {
    const model = expectValue(inputs['model'], 'MODEL', 'model');
    const settings = ['max_shift', 'base_shift', 'width', 'height']
      .map((name) => numberInput(inputs, name, 0))
      .join(',');
    return { outputs: [patched(model, `ModelSamplingFlux(${settings})`)] };
  },
};

const modelSamplingSd3: NodeDefinition = {
  classType: 'ModelSamplingSD3',
  displayName: 'ModelSamplingSD3',
  description: '',
  category: 'advanced/model',
  pythonModule: PYTHON_MODULE,
  outputNode: false,
  outputs: [{ type: 'MODEL', name: 'MODEL' }],
  inputTypes: () => ({
    required: {
      model: ['MODEL'],
      shift: ['FLOAT', { default: 3.0, min: 0.0, max: 100.0, step: 0.01 }],
    },
  }),
  async execute(inputs) {
    const model = expectValue(inputs['model'], 'MODEL', 'model');
    return { outputs: [patched(model, `ModelSamplingSD3(${numberInput(inputs, 'shift', 3)})`)] };
  },
};

export const modelPatchNodes: readonly NodeDefinition[] = [modelSamplingFlux, modelSamplingSd3];
