import { describe, expect, it } from 'vitest';
import { coerceParameterValue, validateParameters } from '../src/workflow/validateParameters.js';
import { renderWorkflow } from '../src/workflow/renderWorkflow.js';
import { ParameterError } from '../src/workflow/ParameterError.js';
import type { WorkflowDefinition } from '../src/workflow/WorkflowDefinition.js';

const definition: WorkflowDefinition = {
  id: 'txt2img',
  title: 'Text to image',
  description: 'test',
  template: {
    '3': { class_type: 'KSampler', inputs: { seed: 0, steps: 20, sampler_name: 'euler' } },
    '6': { class_type: 'CLIPTextEncode', inputs: { text: '' } },
  },
  parameters: [
    { name: 'prompt', type: 'string', required: true, bind: { node: '6', input: 'text' } },
    {
      name: 'steps',
      type: 'integer',
      min: 1,
      max: 50,
      default: 20,
      bind: { node: '3', input: 'steps' },
    },
    {
      name: 'sampler',
      type: 'choice',
      choices: ['euler', 'dpmpp_2m'],
      default: 'euler',
      bind: { node: '3', input: 'sampler_name' },
    },
    { name: 'seed', type: 'seed', bind: { node: '3', input: 'seed' } },
  ],
  outputs: [{ kind: 'image' }],
};

describe('validateParameters + renderWorkflow', () => {
  it('fills defaults, draws a random seed and binds values to their node inputs', async () => {
    const values = await validateParameters(definition, { prompt: 'a cat', steps: '12' });
    expect(values).toMatchObject({ prompt: 'a cat', steps: 12, sampler: 'euler' });
    expect(typeof values['seed']).toBe('number');
    const graph = renderWorkflow(definition, values);
    expect(graph['6']?.inputs['text']).toBe('a cat');
    expect(graph['3']?.inputs['steps']).toBe(12);
    expect(definition.template['3']?.inputs['steps']).toBe(20);
  });

  it('refuses every bad value at once, in words, before anything is sent', async () => {
    const error = await validateParameters(definition, {
      steps: 500,
      sampler: 'nope',
      extra: 1,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParameterError);
    const message = (error as ParameterError).message;
    expect(message).toContain('"extra" is not a parameter of Text to image');
    expect(message).toContain('prompt is required');
    expect(message).toContain('steps must be at most 50 (got 500)');
    expect(message).toContain('sampler "nope" is not available; choose one of: euler, dpmpp_2m');
  });

  it('refuses wrong types', async () => {
    await expect(validateParameters(definition, { prompt: 'x', steps: 'many' })).rejects.toThrow(
      'steps must be a number, not "many"',
    );
    await expect(validateParameters(definition, { prompt: 'x', steps: 2.5 })).rejects.toThrow(
      'steps must be a whole number',
    );
  });
});

describe('defaults against live choices', () => {
  it('refuses a default the server does not have, before anything is sent', async () => {
    const live: WorkflowDefinition = {
      ...definition,
      parameters: [
        {
          name: 'checkpoint',
          type: 'choice',
          choices: { classType: 'CheckpointLoaderSimple', input: 'ckpt_name' },
          default: 'sd15.safetensors',
          bind: { node: '3', input: 'sampler_name' },
        },
      ],
    };
    await expect(validateParameters(live, {}, async () => ['sdxl.safetensors'])).rejects.toThrow(
      'checkpoint: the default "sd15.safetensors" is not available on this ComfyUI server; choose one of: sdxl.safetensors',
    );
    await expect(validateParameters(live, {}, async () => ['sd15.safetensors'])).resolves.toEqual({
      checkpoint: 'sd15.safetensors',
    });
  });
});

describe('one value coercer for every frontend', () => {
  it('takes a prompt that starts with "!" as the text it is', async () => {
    const values = await validateParameters(definition, { prompt: '!important: a cat' });
    expect(values['prompt']).toBe('!important: a cat');
  });

  it('reads flags and numbers as a user types them', () => {
    const flag = { name: 'tiled', type: 'boolean', bind: { node: '3', input: 'tiled' } } as const;
    expect(coerceParameterValue(flag, 'on')).toEqual({ ok: true, value: true });
    expect(coerceParameterValue(flag, 'OFF')).toEqual({ ok: true, value: false });
    expect(coerceParameterValue(flag, 'yes')).toEqual({ ok: true, value: true });
    expect(coerceParameterValue(flag, 'maybe')).toMatchObject({ ok: false });
    const steps = definition.parameters[1]!;
    expect(coerceParameterValue(steps, ' 30 ')).toEqual({ ok: true, value: 30 });
    expect(coerceParameterValue(steps, '3.5')).toEqual({
      ok: false,
      problem: 'steps must be a whole number, not 3.5',
    });
  });
});
