import { describe, expect, it } from 'vitest';
import { getJson, postJson, queuePrompt, request } from './helpers/http.js';
import { useSimulators } from './helpers/simulator.js';
import { progressSave, textToImage } from './helpers/workflows.js';

const startSimulator = useSimulators();
/** 18446744073709551615 as JSON.parse reads it; the raw text is checked separately. */
const SEED_MAX_PARSED = 2 ** 64;

const save = (from: string) => ({
  class_type: 'SaveImage',
  inputs: { images: [from, 0], filename_prefix: 'harness' },
});
const failed = (details = '') => ({
  type: 'prompt_outputs_failed_validation',
  message: 'Prompt outputs failed validation',
  details,
  extra_info: {},
});

describe('POST /prompt validation errors (captures/errors.log)', () => {
  it('unknown class → invalid_prompt', async () => {
    const sim = await startSimulator();
    const response = await postJson(sim, '/prompt', {
      prompt: { '1': { class_type: 'NoSuchNode', inputs: {} }, '2': save('1') },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        type: 'invalid_prompt',
        message: 'Cannot execute because node NoSuchNode does not exist.',
        details: "Node ID '#1'",
        extra_info: {},
      },
      node_errors: {},
    });
  });

  it('missing required input → required_input_missing', async () => {
    const sim = await startSimulator();
    const response = await postJson(sim, '/prompt', {
      prompt: { '1': { class_type: 'TestProgressNode', inputs: { steps: 2 } }, '2': save('1') },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: failed(),
      node_errors: {
        '1': {
          errors: [
            {
              type: 'required_input_missing',
              message: 'Required input is missing',
              details: 'seed',
              extra_info: { input_name: 'seed' },
            },
          ],
          dependent_outputs: ['2'],
          class_type: 'TestProgressNode',
        },
      },
    });
  });

  it('value above max → value_bigger_than_max', async () => {
    const sim = await startSimulator();
    const response = await postJson(sim, '/prompt', {
      prompt: {
        '1': { class_type: 'TestProgressNode', inputs: { seed: 1, steps: 999999 } },
        '2': save('1'),
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.node_errors['1'].errors).toEqual([
      {
        type: 'value_bigger_than_max',
        message: 'Value 999999 bigger than max of 10000',
        details: 'steps',
        extra_info: {
          input_name: 'steps',
          input_config: ['INT', { default: 5, min: 1, max: 10000 }],
          received_value: 999999,
        },
      },
    ]);
  });

  it('"abc" for an INT → invalid_input_type, printing the seed maximum exactly', async () => {
    const sim = await startSimulator();
    const response = await postJson(sim, '/prompt', {
      prompt: {
        '1': { class_type: 'TestProgressNode', inputs: { seed: 'abc', steps: 2 } },
        '2': save('1'),
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.node_errors['1'].errors).toEqual([
      {
        type: 'invalid_input_type',
        message: 'Failed to convert an input value to a INT value',
        details: "seed, abc, invalid literal for int() with base 10: 'abc'",
        extra_info: {
          input_name: 'seed',
          input_config: ['INT', { default: 0, min: 0, max: SEED_MAX_PARSED }],
          received_value: 'abc',
          exception_message: "invalid literal for int() with base 10: 'abc'",
        },
      },
    ]);
    expect(response.text).toContain('"max": 18446744073709551615}');
  });

  it('link to a missing node → exception_during_validation with a KeyError', async () => {
    const sim = await startSimulator();
    const response = await postJson(sim, '/prompt', {
      prompt: {
        '1': { class_type: 'TestProgressNode', inputs: { seed: 1, steps: 2 } },
        '2': save('99'),
      },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: failed("Exception when validating node: '99'"),
      node_errors: {
        '2': {
          errors: [
            {
              type: 'exception_during_validation',
              message: 'Exception when validating node',
              details: "'99'",
              extra_info: {
                exception_type: 'KeyError',
                traceback: [
                  '  File "ComfyUI/execution.py", line 1043, in validate_prompt\n    m = await validate_inputs(prompt_id, prompt, o, validated)\n        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n',
                  '  File "ComfyUI/execution.py", line 818, in validate_inputs\n    o_class_type = prompt[o_id][\'class_type\']\n                   ~~~~~~^^^^^^\n',
                ],
              },
            },
          ],
          dependent_outputs: ['2'],
          class_type: 'SaveImage',
        },
      },
    });
  });

  it('no output node → prompt_no_outputs', async () => {
    const sim = await startSimulator();
    const response = await postJson(sim, '/prompt', {
      prompt: { '1': { class_type: 'TestProgressNode', inputs: { seed: 1, steps: 2 } } },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        type: 'prompt_no_outputs',
        message: 'Prompt has no outputs',
        details: '',
        extra_info: {},
      },
      node_errors: {},
    });
  });

  it('missing class_type → invalid_prompt', async () => {
    const sim = await startSimulator();
    const response = await postJson(sim, '/prompt', { prompt: { '1': { inputs: {} } } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        type: 'invalid_prompt',
        message: 'Cannot execute because a node is missing the class_type property.',
        details: "Node ID '#1'",
        extra_info: {},
      },
      node_errors: {},
    });
  });

  it('no prompt key → no_prompt', async () => {
    const sim = await startSimulator();
    const response = await postJson(sim, '/prompt', { client_id: 'x' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        type: 'no_prompt',
        message: 'No prompt provided',
        details: 'No prompt provided',
        extra_info: {},
      },
      node_errors: {},
    });
  });

  it('malformed JSON → 500 plain text', async () => {
    const sim = await startSimulator();
    const response = await request(sim, 'POST', '/prompt', '{"prompt": ');
    expect(response.status).toBe(500);
    expect(response.contentType).toMatch(/^text\/plain/);
    expect(response.text).toContain('500 Internal Server Error');
  });
});

describe('accepted prompts', () => {
  it('queues a partially valid prompt with node_errors and runs only the good output', async () => {
    const sim = await startSimulator();
    const prompt = {
      ...progressSave(1, 1),
      '3': save('4'),
      '4': { class_type: 'TestProgressNode', inputs: { steps: 1 } },
    };
    const end = sim.nextEvent('execution-end');
    const response = await postJson(sim, '/prompt', { prompt, client_id: 'c' });
    expect(response.status).toBe(200);
    expect(response.body.node_errors).toEqual({
      '4': {
        errors: [
          {
            type: 'required_input_missing',
            message: 'Required input is missing',
            details: 'seed',
            extra_info: { input_name: 'seed' },
          },
        ],
        dependent_outputs: ['3'],
        class_type: 'TestProgressNode',
      },
    });
    await end;
    const history = (await getJson(sim, `/history/${response.body.prompt_id}`)).body[
      response.body.prompt_id
    ];
    expect(Object.keys(history.outputs)).toEqual(['2']);
    expect(history.prompt[4]).toEqual(['2']);
  });

  it('uses a client-chosen prompt_id, negates the counter for front:true and keeps extra_data', async () => {
    const sim = await startSimulator();
    sim.holdExecution();
    const first = await queuePrompt(sim, { prompt: progressSave(1, 1) });
    const second = await queuePrompt(sim, {
      prompt: progressSave(1, 1),
      prompt_id: 'my-own-id',
      front: true,
      extra_data: { extra_pnginfo: { workflow: {} } },
      client_id: 'c',
    });
    expect(first.number).toBe(0);
    expect(second).toEqual({ prompt_id: 'my-own-id', number: -1, node_errors: {} });
    const queue = await getJson(sim, '/queue');
    const item = queue.body.queue_pending.find((i: unknown[]) => i[1] === 'my-own-id');
    expect(item[3]).toEqual({
      extra_pnginfo: { workflow: {} },
      client_id: 'c',
      create_time: expect.any(Number),
    });
  });

  it('takes an explicit number as given without advancing the counter', async () => {
    const sim = await startSimulator();
    sim.holdExecution();
    expect((await queuePrompt(sim, { prompt: progressSave(1, 1), number: 12.5 })).number).toBe(
      12.5,
    );
    expect((await queuePrompt(sim, { prompt: progressSave(1, 1) })).number).toBe(0);
  });

  it('advances the counter even for rejected prompts, as ComfyUI does', async () => {
    const sim = await startSimulator();
    sim.holdExecution();
    await postJson(sim, '/prompt', { client_id: 'x' });
    expect((await queuePrompt(sim, { prompt: progressSave(1, 1) })).number).toBe(1);
  });

  it('converts values like ComfyUI and stores the converted prompt', async () => {
    const sim = await startSimulator();
    sim.holdExecution();
    const { prompt_id } = await queuePrompt(sim, {
      prompt: progressSave(1, 1, { seed: '42', delay: '0.5', send_preview: 1 }),
    });
    const item = (await getJson(sim, '/queue')).body.queue_pending.find(
      (i: unknown[]) => i[1] === prompt_id,
    );
    expect(item[2]['1'].inputs).toMatchObject({ seed: 42, delay: 0.5, send_preview: true });
  });
});

describe('other validation errors', () => {
  it('choice not in list → value_not_in_list with the list', async () => {
    const sim = await startSimulator();
    const response = await postJson(sim, '/prompt', {
      prompt: textToImage({ ckpt: 'nope.safetensors' }),
    });
    expect(response.status).toBe(400);
    expect(response.body.node_errors['4']).toEqual({
      errors: [
        {
          type: 'value_not_in_list',
          message: 'Value not in list',
          details:
            "ckpt_name: 'nope.safetensors' not in ['dreamshaper_8.safetensors', 'sd_xl_base_1.0.safetensors', 'v1-5-pruned-emaonly.safetensors']",
          extra_info: {
            input_name: 'ckpt_name',
            input_config: [
              [
                'dreamshaper_8.safetensors',
                'sd_xl_base_1.0.safetensors',
                'v1-5-pruned-emaonly.safetensors',
              ],
              { tooltip: 'The name of the checkpoint (model) to load.' },
            ],
            received_value: 'nope.safetensors',
          },
        },
      ],
      dependent_outputs: ['9'],
      class_type: 'CheckpointLoaderSimple',
    });
  });

  it('summarises long choice lists (sampler_name)', async () => {
    const sim = await startSimulator();
    const prompt = textToImage();
    prompt['3'].inputs.sampler_name = 'warp_drive';
    const response = await postJson(sim, '/prompt', { prompt });
    const [error] = response.body.node_errors['3'].errors;
    expect(error.details).toMatch(/^sampler_name: 'warp_drive' not in \(list of length \d+\)$/);
    expect(error.extra_info.input_config).toBeNull();
  });

  it('value below min → value_smaller_than_min; floats print like Python', async () => {
    const sim = await startSimulator();
    const prompt = textToImage();
    prompt['5'].inputs.width = 8;
    prompt['3'].inputs.cfg = 101;
    const response = await postJson(sim, '/prompt', { prompt });
    expect(response.body.node_errors['5'].errors[0]).toMatchObject({
      type: 'value_smaller_than_min',
      message: 'Value 8 smaller than min of 16',
      details: 'width',
    });
    expect(response.body.node_errors['3'].errors[0]).toMatchObject({
      type: 'value_bigger_than_max',
      message: 'Value 101.0 bigger than max of 100.0',
      details: 'cfg',
    });
    expect(response.body.node_errors['3'].dependent_outputs).toEqual(['9']);
  });

  it('link from an output of the wrong type → return_type_mismatch', async () => {
    const sim = await startSimulator();
    const prompt = textToImage();
    prompt['8'].inputs.vae = ['4', 0];
    const response = await postJson(sim, '/prompt', { prompt });
    expect(response.body.node_errors['8'].errors).toEqual([
      {
        type: 'return_type_mismatch',
        message: 'Return type mismatch between linked nodes',
        details: 'vae, received_type(MODEL) mismatch input_type(VAE)',
        extra_info: {
          input_name: 'vae',
          input_config: ['VAE', { tooltip: 'The VAE model used for decoding the latent.' }],
          received_type: 'MODEL',
          linked_node: ['4', 0],
        },
      },
    ]);
  });

  it('a missing node deeper upstream → exception_during_inner_validation on the linking node', async () => {
    const sim = await startSimulator();
    const prompt = textToImage();
    prompt['8'].inputs.samples = ['42', 0];
    const response = await postJson(sim, '/prompt', { prompt });
    expect(response.body.error).toEqual(failed());
    expect(response.body.node_errors['8'].errors[0]).toMatchObject({
      type: 'exception_during_inner_validation',
      message: 'Exception when validating inner node',
      details: "'42'",
      extra_info: { input_name: 'images', exception_type: 'KeyError', linked_node: ['8', 0] },
    });
  });

  it('an output slot that does not exist → IndexError', async () => {
    const sim = await startSimulator();
    const response = await postJson(sim, '/prompt', {
      prompt: {
        ...progressSave(1, 1),
        '2': { class_type: 'SaveImage', inputs: { images: ['1', 3], filename_prefix: 'x' } },
      },
    });
    expect(response.body.node_errors['2'].errors[0]).toMatchObject({
      type: 'exception_during_validation',
      details: 'tuple index out of range',
      extra_info: { exception_type: 'IndexError' },
    });
  });

  it('LoadImage of a file that is not there → custom_validation_failed', async () => {
    const sim = await startSimulator();
    const response = await postJson(sim, '/prompt', {
      prompt: { '1': { class_type: 'LoadImage', inputs: { image: 'ghost.png' } }, '2': save('1') },
    });
    expect(response.body.node_errors['1'].errors).toEqual([
      {
        type: 'custom_validation_failed',
        message: 'Custom validation failed for node',
        details: 'LoadImage - Invalid image file: ghost.png',
        extra_info: {},
      },
    ]);
  });
});
