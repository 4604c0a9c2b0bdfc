import { describe, expect, it } from 'vitest';
import { getJson, postJson } from './helpers/http.js';
import { useSimulators } from './helpers/simulator.js';
import { fluxTextToImage, wan22ImageToVideo } from './helpers/model-workflows.js';

const startSimulator = useSimulators();

describe('object_info of the Flux, upscale and video nodes', () => {
  it('describes every new class with its real input spec', async () => {
    const sim = await startSimulator();
    const { body } = await getJson(sim, '/object_info');
    expect(body.UNETLoader.input.required).toEqual({
      unet_name: [
        [
          'flux1-dev.safetensors',
          'flux1-schnell.safetensors',
          'wan2.1_t2v_1.3B_fp16.safetensors',
          'wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors',
          'wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors',
          'wan2.2_t2v_high_noise_14B_fp8_scaled.safetensors',
          'wan2.2_t2v_low_noise_14B_fp8_scaled.safetensors',
        ],
      ],
      weight_dtype: [['default', 'fp8_e4m3fn', 'fp8_e4m3fn_fast', 'fp8_e5m2']],
    });
    expect(body.UNETLoader).toMatchObject({
      output: ['MODEL'],
      display_name: 'Load Diffusion Model',
      category: 'advanced/loaders',
    });
    expect(body.DualCLIPLoader.input.required.type[0]).toContain('flux');
    expect(body.DualCLIPLoader.input.optional.device).toEqual([
      ['default', 'cpu'],
      { advanced: true },
    ]);
    expect(body.DualCLIPLoader.input_order).toEqual({
      required: ['clip_name1', 'clip_name2', 'type'],
      optional: ['device'],
    });
    expect(body.CLIPLoader.input.required.type[0]).toEqual(
      expect.arrayContaining(['stable_diffusion', 'wan']),
    );
    expect(body.VAELoader.input.required.vae_name[0]).toEqual([
      'ae.safetensors',
      'wan_2.1_vae.safetensors',
    ]);
    expect(body.EmptySD3LatentImage.input.required.width).toEqual([
      'INT',
      { default: 1024, min: 16, max: 16384, step: 16 },
    ]);
    expect(body.FluxGuidance.input.required.guidance).toEqual([
      'FLOAT',
      { default: 3.5, min: 0, max: 100, step: 0.1 },
    ]);
    expect(body.RandomNoise.output).toEqual(['NOISE']);
    expect(body.KSamplerSelect.input.required.sampler_name[0]).toContain('euler');
    expect(body.BasicScheduler.input_order.required).toEqual([
      'model',
      'scheduler',
      'steps',
      'denoise',
    ]);
    expect(body.BasicScheduler.output).toEqual(['SIGMAS']);
    expect(body.BasicGuider.output).toEqual(['GUIDER']);
    expect(body.CFGGuider.input.required.cfg[1]).toMatchObject({ default: 8 });
    expect(body.SamplerCustomAdvanced).toMatchObject({
      output: ['LATENT', 'LATENT'],
      output_name: ['output', 'denoised_output'],
      input_order: { required: ['noise', 'guider', 'sampler', 'sigmas', 'latent_image'] },
    });
    expect(body.ModelSamplingFlux.input_order.required).toEqual([
      'model',
      'max_shift',
      'base_shift',
      'width',
      'height',
    ]);
    expect(body.ModelSamplingSD3.input.required.shift[1]).toMatchObject({ default: 3 });
    expect(body.UpscaleModelLoader.input.required.model_name[0]).toEqual([
      '4x-UltraSharp.pth',
      'RealESRGAN_x2plus.pth',
      'RealESRGAN_x4plus.pth',
    ]);
    expect(body.UpscaleModelLoader.output).toEqual(['UPSCALE_MODEL']);
    expect(body.ImageUpscaleWithModel.input.required).toEqual({
      upscale_model: ['UPSCALE_MODEL'],
      image: ['IMAGE'],
    });
    expect(body.ImageScale.input.required.upscale_method[0]).toContain('lanczos');
    expect(body.ImageScale.input.required.crop).toEqual([['disabled', 'center']]);
    expect(body.ImageScaleBy.input.required.scale_by[1]).toMatchObject({ default: 1, max: 8 });
    expect(body.LatentUpscale.input.required.upscale_method[0]).toContain('bislerp');
    expect(body.LatentUpscaleBy.input.required.scale_by[1]).toMatchObject({ default: 1.5 });
    expect(body.CLIPVisionLoader.input.required.clip_name[0]).toEqual([
      'clip_vision_h.safetensors',
    ]);
    expect(body.CLIPVisionEncode.output).toEqual(['CLIP_VISION_OUTPUT']);
    expect(body.WanImageToVideo).toMatchObject({
      input: {
        required: { length: ['INT', { default: 81, min: 1, max: 16384, step: 4 }] },
        optional: { clip_vision_output: ['CLIP_VISION_OUTPUT'], start_image: ['IMAGE'] },
      },
      output: ['CONDITIONING', 'CONDITIONING', 'LATENT'],
      output_name: ['positive', 'negative', 'latent'],
    });
    expect(body.EmptyHunyuanLatentVideo.input_order.required).toEqual([
      'width',
      'height',
      'length',
      'batch_size',
    ]);
    expect(body.CreateVideo).toMatchObject({
      input: { optional: { audio: ['AUDIO', expect.any(Object)] } },
      output: ['VIDEO'],
    });
    expect(body.SaveVideo).toMatchObject({
      output_node: true,
      input: {
        required: {
          format: [['auto', 'mp4'], { default: 'auto' }],
          codec: [['auto', 'h264'], { default: 'auto' }],
        },
      },
    });
    expect(body.SaveWEBM.input.required.codec).toEqual([['vp9', 'av1']]);
    expect(body.SaveAnimatedWEBP.input.required.method).toEqual([
      ['default', 'fastest', 'slowest'],
    ]);
    const combine = body.VHS_VideoCombine;
    expect(combine.output_node).toBe(true);
    expect(combine.output).toEqual(['VHS_FILENAMES']);
    expect(combine.input.required.format[0]).toEqual(
      expect.arrayContaining(['image/gif', 'image/webp', 'video/h264-mp4', 'video/webm']),
    );
    expect(combine.input_order.required).toEqual([
      'images',
      'frame_rate',
      'loop_count',
      'filename_prefix',
      'format',
      'pingpong',
      'save_output',
    ]);
    for (const [folder, node, input] of [
      ['diffusion_models', 'UNETLoader', 'unet_name'],
      ['text_encoders', 'CLIPLoader', 'clip_name'],
      ['vae', 'VAELoader', 'vae_name'],
      ['upscale_models', 'UpscaleModelLoader', 'model_name'],
      ['clip_vision', 'CLIPVisionLoader', 'clip_name'],
    ] as const) {
      expect((await getJson(sim, `/models/${folder}`)).body).toEqual(
        body[node].input.required[input][0],
      );
    }
  });

  it('offers the model names given as options', async () => {
    const sim = await startSimulator({ diffusionModels: ['b.gguf', 'a.safetensors'] });
    const info = (await getJson(sim, '/object_info/UNETLoader')).body.UNETLoader;
    expect(info.input.required.unet_name[0]).toEqual(['a.safetensors', 'b.gguf']);
  });
});

describe('validation of the new nodes', () => {
  it('refuses a weight_dtype that is not a choice', async () => {
    const sim = await startSimulator();
    const prompt = fluxTextToImage();
    prompt['1'].inputs.weight_dtype = 'fp16';
    const response = await postJson(sim, '/prompt', { prompt });
    expect(response.status).toBe(400);
    expect(response.body.node_errors['1']).toEqual({
      errors: [
        {
          type: 'value_not_in_list',
          message: 'Value not in list',
          details:
            "weight_dtype: 'fp16' not in ['default', 'fp8_e4m3fn', 'fp8_e4m3fn_fast', 'fp8_e5m2']",
          extra_info: {
            input_name: 'weight_dtype',
            input_config: [['default', 'fp8_e4m3fn', 'fp8_e4m3fn_fast', 'fp8_e5m2'], {}],
            received_value: 'fp16',
          },
        },
      ],
      dependent_outputs: ['13'],
      class_type: 'UNETLoader',
    });
  });

  it('refuses a missing vae on WanImageToVideo and a wrong SaveVideo format', async () => {
    const sim = await startSimulator();
    const prompt = wan22ImageToVideo('nothing.png') as Record<
      string,
      { class_type: string; inputs: Record<string, unknown> }
    >;
    delete prompt['8']!.inputs['vae'];
    prompt['15']!.inputs['format'] = 'mkv';
    const response = await postJson(sim, '/prompt', { prompt });
    expect(response.status).toBe(400);
    const errors = response.body.node_errors;
    expect(errors['8'].errors).toContainEqual({
      type: 'required_input_missing',
      message: 'Required input is missing',
      details: 'vae',
      extra_info: { input_name: 'vae' },
    });
    expect(errors['15'].errors[0]).toMatchObject({
      type: 'value_not_in_list',
      details: "format: 'mkv' not in ['auto', 'mp4']",
    });
    expect(errors['7'].errors[0]).toMatchObject({ type: 'custom_validation_failed' });
  });

  it('refuses a link of the wrong type and a guidance above its max', async () => {
    const sim = await startSimulator();
    const prompt = fluxTextToImage() as Record<
      string,
      { class_type: string; inputs: Record<string, unknown> }
    >;
    prompt['11']!.inputs['sigmas'] = ['8', 0];
    prompt['5']!.inputs['guidance'] = 250;
    const response = await postJson(sim, '/prompt', { prompt });
    expect(response.status).toBe(400);
    expect(response.body.node_errors['11'].errors).toEqual([
      expect.objectContaining({
        type: 'return_type_mismatch',
        details: 'sigmas, received_type(SAMPLER) mismatch input_type(SIGMAS)',
      }),
    ]);
    expect(response.body.node_errors['5'].errors).toEqual([
      expect.objectContaining({ type: 'value_bigger_than_max' }),
    ]);
  });
});
