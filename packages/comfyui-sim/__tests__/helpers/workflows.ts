/** The workflows of /work/shared/comfyui/*.json and a classic text-to-image graph. */
export function progressSave(
  seed: number,
  steps: number,
  extra: Record<string, unknown> = {},
  prefix = 'harness',
) {
  return {
    '1': {
      class_type: 'TestProgressNode',
      inputs: { seed, steps, delay: 0.2, width: 64, height: 64, ...extra },
    },
    '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: prefix } },
  };
}

export function progressPreview(seed: number, steps: number) {
  return {
    '1': {
      class_type: 'TestProgressNode',
      inputs: { seed, steps, delay: 0.2, send_preview: true },
    },
    '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } },
  };
}

export function failSave(seed: number, steps: number, failAt: number) {
  return {
    '1': { class_type: 'TestFailNode', inputs: { seed, steps, fail_at: failAt, delay: 0.2 } },
    '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'harness_fail' } },
  };
}

export function loadUploadSave(image: string) {
  return {
    '1': { class_type: 'LoadImage', inputs: { image } },
    '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'from_upload' } },
  };
}

export interface TextToImageOptions {
  seed?: number;
  steps?: number;
  width?: number;
  height?: number;
  batch?: number;
  prefix?: string;
  ckpt?: string;
}

export function textToImage(options: TextToImageOptions = {}) {
  return {
    '3': {
      class_type: 'KSampler',
      inputs: {
        seed: options.seed ?? 156680208700286,
        steps: options.steps ?? 4,
        cfg: 8,
        sampler_name: 'euler',
        scheduler: 'normal',
        denoise: 1,
        model: ['4', 0],
        positive: ['6', 0],
        negative: ['7', 0],
        latent_image: ['5', 0],
      },
    },
    '4': {
      class_type: 'CheckpointLoaderSimple',
      inputs: { ckpt_name: options.ckpt ?? 'v1-5-pruned-emaonly.safetensors' },
    },
    '5': {
      class_type: 'EmptyLatentImage',
      inputs: {
        width: options.width ?? 512,
        height: options.height ?? 512,
        batch_size: options.batch ?? 1,
      },
    },
    '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a photo of a cat', clip: ['4', 1] } },
    '7': { class_type: 'CLIPTextEncode', inputs: { text: 'blurry', clip: ['4', 1] } },
    '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
    '9': {
      class_type: 'SaveImage',
      inputs: { filename_prefix: options.prefix ?? 'ComfyUI', images: ['8', 0] },
    },
  };
}
