import { describe, expect, it } from 'vitest';
import {
  renderWorkflow,
  validateParameters,
  type ApiWorkflow,
  type ParameterSpec,
} from '@comfyrelay/core';
import { workflowFromGraph } from '../src/index.js';

const graph: ApiWorkflow = {
  '3': {
    class_type: 'KSampler',
    inputs: {
      seed: 42,
      steps: 20,
      cfg: 7.5,
      sampler_name: 'euler',
      denoise: 1,
      model: ['4', 0],
      positive: ['6', 0],
    },
  },
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5.safetensors' } },
  '6': {
    class_type: 'CLIPTextEncode',
    inputs: { text: 'a fox', clip: ['4', 1] },
    _meta: { title: 'Positive' },
  },
  '10': {
    class_type: 'KSamplerAdvanced',
    inputs: { noise_seed: ['12:1', 0], add_noise: 'enable', return_with_leftover_noise: false },
  },
  '12:1': { class_type: 'RandomNoise', inputs: { noise_seed: 7 } },
  '13': { class_type: 'Note', inputs: { tags: ['a', 'b'], extra: null } },
  '9': { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: 'out' } },
};

const byName = (specs: ParameterSpec[]) => Object.fromEntries(specs.map((s) => [s.name, s]));

describe('workflowFromGraph', () => {
  const definition = workflowFromGraph(graph, { id: 'run.file', title: 'file.json' });
  const parameters = byName(definition.parameters);

  it('offers every literal input as NODE.INPUT, in node id order, bound to that input', () => {
    expect(definition.parameters.map((p) => p.name)).toEqual([
      '3.seed',
      '3.steps',
      '3.cfg',
      '3.sampler_name',
      '3.denoise',
      '4.ckpt_name',
      '6.text',
      '9.filename_prefix',
      '10.add_noise',
      '10.return_with_leftover_noise',
      '12:1.noise_seed',
    ]);
    expect(parameters['12:1.noise_seed']?.bind).toEqual({ node: '12:1', input: 'noise_seed' });
    expect(parameters['6.text']?.description).toBe('"text" of node 6 (CLIPTextEncode "Positive")');
  });

  it('skips links, lists and nulls', () => {
    expect(parameters['3.model']).toBeUndefined();
    expect(parameters['10.noise_seed']).toBeUndefined();
    expect(parameters['13.tags']).toBeUndefined();
    expect(parameters['13.extra']).toBeUndefined();
  });

  it('infers the type from the value; seeds are seeds, other numbers any number (cfg 8 may become 7.5)', () => {
    expect(Object.fromEntries(definition.parameters.map((p) => [p.name, p.type]))).toMatchObject({
      '3.seed': 'seed',
      '12:1.noise_seed': 'seed',
      '3.steps': 'number',
      '3.denoise': 'number',
      '3.cfg': 'number',
      '3.sampler_name': 'string',
      '10.return_with_leftover_noise': 'boolean',
    });
    const fractionalSeed = workflowFromGraph(
      { '1': { class_type: 'KSampler', inputs: { seed: 0.5 } } },
      { id: 'x' },
    );
    expect(fractionalSeed.parameters[0]?.type).toBe('number');
  });

  it("defaults to the file's values, and nothing is required", () => {
    expect(parameters['3.steps']?.default).toBe(20);
    expect(parameters['3.cfg']?.default).toBe(7.5);
    expect(parameters['6.text']?.default).toBe('a fox');
    expect(parameters['10.return_with_leftover_noise']?.default).toBe(false);
    expect(definition.parameters.some((p) => p.required)).toBe(false);
  });

  it('renders the file unchanged but for what is given, with a fresh seed unless one is given', async () => {
    const values = await validateParameters(definition, { '3.steps': '30', '6.text': 'a cat' });
    const rendered = renderWorkflow(definition, values);
    expect(rendered['3']?.inputs).toMatchObject({ steps: 30, cfg: 7.5, model: ['4', 0] });
    expect(rendered['6']?.inputs['text']).toBe('a cat');
    expect(typeof rendered['3']?.inputs['seed']).toBe('number');
    const fixed = await validateParameters(definition, { '3.seed': 5 });
    expect(renderWorkflow(definition, fixed)['3']?.inputs['seed']).toBe(5);
  });

  it('outputs are the save nodes; no actions; the graph given is not changed', () => {
    expect(definition.outputs).toEqual([{ node: '9', kind: 'image', mime: 'image/png' }]);
    expect(definition.actions).toBeUndefined();
    expect(definition).toMatchObject({ id: 'run.file', title: 'file.json' });
    expect(definition.template).toEqual(graph);
    expect(definition.template).not.toBe(graph);
  });
});
