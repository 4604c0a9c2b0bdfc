/** API-format graphs as ComfyUI's own templates build them: Flux, hires fix, model upscale, Wan video. */

export function fluxTextToImage(
  options: { steps?: number; width?: number; height?: number; seed?: number } = {},
) {
  return {
    '1': {
      class_type: 'UNETLoader',
      inputs: { unet_name: 'flux1-dev.safetensors', weight_dtype: 'default' },
    },
    '2': {
      class_type: 'DualCLIPLoader',
      inputs: {
        clip_name1: 't5xxl_fp16.safetensors',
        clip_name2: 'clip_l.safetensors',
        type: 'flux',
        device: 'default',
      },
    },
    '3': { class_type: 'VAELoader', inputs: { vae_name: 'ae.safetensors' } },
    '4': { class_type: 'CLIPTextEncode', inputs: { text: 'a red fox', clip: ['2', 0] } },
    '5': { class_type: 'FluxGuidance', inputs: { conditioning: ['4', 0], guidance: 3.5 } },
    '6': {
      class_type: 'EmptySD3LatentImage',
      inputs: { width: options.width ?? 1024, height: options.height ?? 768, batch_size: 1 },
    },
    '7': { class_type: 'RandomNoise', inputs: { noise_seed: options.seed ?? 42 } },
    '8': { class_type: 'KSamplerSelect', inputs: { sampler_name: 'euler' } },
    '9': {
      class_type: 'BasicScheduler',
      inputs: { model: ['1', 0], scheduler: 'simple', steps: options.steps ?? 4, denoise: 1 },
    },
    '10': { class_type: 'BasicGuider', inputs: { model: ['1', 0], conditioning: ['5', 0] } },
    '11': {
      class_type: 'SamplerCustomAdvanced',
      inputs: {
        noise: ['7', 0],
        guider: ['10', 0],
        sampler: ['8', 0],
        sigmas: ['9', 0],
        latent_image: ['6', 0],
      },
    },
    '12': { class_type: 'VAEDecode', inputs: { samples: ['11', 0], vae: ['3', 0] } },
    '13': { class_type: 'SaveImage', inputs: { images: ['12', 0], filename_prefix: 'flux' } },
  };
}

const ksampler = (model: string, latent: [string, number], steps: number, denoise: number) => ({
  class_type: 'KSampler',
  inputs: {
    model: [model, 0],
    seed: 7,
    steps,
    cfg: 7,
    sampler_name: 'euler',
    scheduler: 'normal',
    positive: ['6', 0],
    negative: ['7', 0],
    latent_image: latent,
    denoise,
  },
});

/** KSampler → LatentUpscaleBy → KSampler (denoise 0.5) → VAEDecode → SaveImage. */
export function hiresFix(width: number, height: number, scaleBy = 1.5, prefix = 'hires') {
  return {
    '4': {
      class_type: 'CheckpointLoaderSimple',
      inputs: { ckpt_name: 'sd_xl_base_1.0.safetensors' },
    },
    '5': { class_type: 'EmptyLatentImage', inputs: { width, height, batch_size: 1 } },
    '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a lighthouse', clip: ['4', 1] } },
    '7': { class_type: 'CLIPTextEncode', inputs: { text: 'blurry', clip: ['4', 1] } },
    '3': ksampler('4', ['5', 0], 3, 1),
    '10': {
      class_type: 'LatentUpscaleBy',
      inputs: { samples: ['3', 0], upscale_method: 'nearest-exact', scale_by: scaleBy },
    },
    '11': ksampler('4', ['10', 0], 2, 0.5),
    '8': { class_type: 'VAEDecode', inputs: { samples: ['11', 0], vae: ['4', 2] } },
    '9': { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: prefix } },
  };
}

/** LoadImage → ImageUpscaleWithModel → SaveImage, plus ImageScale / ImageScaleBy branches. */
export function modelUpscale(image: string, modelName = '4x-UltraSharp.pth') {
  return {
    '1': { class_type: 'LoadImage', inputs: { image } },
    '2': { class_type: 'UpscaleModelLoader', inputs: { model_name: modelName } },
    '3': {
      class_type: 'ImageUpscaleWithModel',
      inputs: { upscale_model: ['2', 0], image: ['1', 0] },
    },
    '4': { class_type: 'SaveImage', inputs: { images: ['3', 0], filename_prefix: 'upscaled' } },
  };
}

const wanText = (clip: [string, number]) => ({
  '5': {
    class_type: 'CLIPTextEncode',
    inputs: { text: 'a boat drifting on a lake', clip },
  },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'static, blurry', clip } },
});

const advanced = (
  model: string,
  latent: [string, number],
  start: number,
  end: number,
  addNoise: 'enable' | 'disable',
) => ({
  class_type: 'KSamplerAdvanced',
  inputs: {
    model: [model, 0],
    add_noise: addNoise,
    noise_seed: 1234,
    steps: 4,
    cfg: 3.5,
    sampler_name: 'euler',
    scheduler: 'simple',
    positive: ['8', 0],
    negative: ['8', 1],
    latent_image: latent,
    start_at_step: start,
    end_at_step: end,
    return_with_leftover_noise: addNoise === 'enable' ? 'enable' : 'disable',
  },
});

/** Wan 2.2 14B image-to-video: high-noise expert for steps 0→2, low-noise expert for 2→4. */
export function wan22ImageToVideo(startImage: string, length = 9) {
  return {
    '1': {
      class_type: 'UNETLoader',
      inputs: {
        unet_name: 'wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors',
        weight_dtype: 'default',
      },
    },
    '2': {
      class_type: 'UNETLoader',
      inputs: {
        unet_name: 'wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors',
        weight_dtype: 'default',
      },
    },
    '3': {
      class_type: 'CLIPLoader',
      inputs: {
        clip_name: 'umt5_xxl_fp8_e4m3fn_scaled.safetensors',
        type: 'wan',
        device: 'default',
      },
    },
    '4': { class_type: 'VAELoader', inputs: { vae_name: 'wan_2.1_vae.safetensors' } },
    ...wanText(['3', 0]),
    '7': { class_type: 'LoadImage', inputs: { image: startImage } },
    '8': {
      class_type: 'WanImageToVideo',
      inputs: {
        positive: ['5', 0],
        negative: ['6', 0],
        vae: ['4', 0],
        start_image: ['7', 0],
        width: 832,
        height: 480,
        length,
        batch_size: 1,
      },
    },
    '9': { class_type: 'ModelSamplingSD3', inputs: { model: ['1', 0], shift: 8 } },
    '10': { class_type: 'ModelSamplingSD3', inputs: { model: ['2', 0], shift: 8 } },
    '11': advanced('9', ['8', 2], 0, 2, 'enable'),
    '12': advanced('10', ['11', 0], 2, 4, 'disable'),
    '13': { class_type: 'VAEDecode', inputs: { samples: ['12', 0], vae: ['4', 0] } },
    '14': { class_type: 'CreateVideo', inputs: { images: ['13', 0], fps: 8 } },
    '15': {
      class_type: 'SaveVideo',
      inputs: { video: ['14', 0], filename_prefix: 'video/wan22', format: 'auto', codec: 'auto' },
    },
  };
}

/** Wan 2.1 text-to-video up to the decoded frames (node 13); add output nodes to it. */
export function wanTextToVideoFrames(length = 9) {
  return {
    '1': {
      class_type: 'UNETLoader',
      inputs: { unet_name: 'wan2.1_t2v_1.3B_fp16.safetensors', weight_dtype: 'default' },
    },
    '3': {
      class_type: 'CLIPLoader',
      inputs: { clip_name: 'umt5_xxl_fp8_e4m3fn_scaled.safetensors', type: 'wan' },
    },
    '4': { class_type: 'VAELoader', inputs: { vae_name: 'wan_2.1_vae.safetensors' } },
    ...wanText(['3', 0]),
    '8': {
      class_type: 'EmptyHunyuanLatentVideo',
      inputs: { width: 832, height: 480, length, batch_size: 1 },
    },
    '11': {
      class_type: 'KSampler',
      inputs: {
        model: ['1', 0],
        seed: 99,
        steps: 3,
        cfg: 6,
        sampler_name: 'uni_pc',
        scheduler: 'simple',
        positive: ['5', 0],
        negative: ['6', 0],
        latent_image: ['8', 0],
        denoise: 1,
      },
    },
    '13': { class_type: 'VAEDecode', inputs: { samples: ['11', 0], vae: ['4', 0] } },
  };
}

export function videoCombine(format: string, prefix: string, extra: Record<string, unknown> = {}) {
  return {
    class_type: 'VHS_VideoCombine',
    inputs: {
      images: ['13', 0],
      frame_rate: 16,
      loop_count: 0,
      filename_prefix: prefix,
      format,
      pingpong: false,
      save_output: true,
      ...extra,
    },
  };
}
