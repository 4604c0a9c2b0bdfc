export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Delay per sampler step. When given, it also overrides the `delay` input of the harness test nodes. */
  stepDelayMs?: number;
  /** Default: `output/` inside a fresh temp dir (removed again by stop()). */
  outputDir?: string;
  inputDir?: string;
  tempDir?: string;
  /** Send binary preview frames for sampler steps. Default true. */
  previews?: boolean;
  /** Send the enqueue/start messages before the HTTP answer to POST /prompt, as real ComfyUI can. Default true. */
  messagesBeforeResponse?: boolean;
  /** Choices offered for CheckpointLoaderSimple.ckpt_name. */
  checkpoints?: string[];
  /** Choices offered for LoraLoader.lora_name. */
  loras?: string[];
  /** Choices offered for UNETLoader.unet_name (models/diffusion_models). */
  diffusionModels?: string[];
  /** Choices offered for CLIPLoader.clip_name and DualCLIPLoader.clip_name1/2 (models/text_encoders). */
  textEncoders?: string[];
  /** Choices offered for VAELoader.vae_name. */
  vaes?: string[];
  /** Choices offered for UpscaleModelLoader.model_name; the scale is read from the name (`4x`, `x2`…), 4 by default. */
  upscaleModels?: string[];
  /** Choices offered for CLIPVisionLoader.clip_name. */
  clipVision?: string[];
}

export const DEFAULT_STEP_DELAY_MS = 20;

export const DEFAULT_CHECKPOINTS = [
  'dreamshaper_8.safetensors',
  'sd_xl_base_1.0.safetensors',
  'v1-5-pruned-emaonly.safetensors',
];

export const DEFAULT_LORAS = ['add_detail.safetensors', 'pixel_art_xl.safetensors'];

/** The file names ComfyUI's own workflow templates use (Comfy-Org repackaged models). */
export const DEFAULT_DIFFUSION_MODELS = [
  'flux1-dev.safetensors',
  'flux1-schnell.safetensors',
  'wan2.1_t2v_1.3B_fp16.safetensors',
  'wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors',
  'wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors',
  'wan2.2_t2v_high_noise_14B_fp8_scaled.safetensors',
  'wan2.2_t2v_low_noise_14B_fp8_scaled.safetensors',
];

export const DEFAULT_TEXT_ENCODERS = [
  'clip_l.safetensors',
  't5xxl_fp16.safetensors',
  't5xxl_fp8_e4m3fn.safetensors',
  'umt5_xxl_fp8_e4m3fn_scaled.safetensors',
];

export const DEFAULT_VAES = ['ae.safetensors', 'wan_2.1_vae.safetensors'];

export const DEFAULT_UPSCALE_MODELS = [
  '4x-UltraSharp.pth',
  'RealESRGAN_x2plus.pth',
  'RealESRGAN_x4plus.pth',
];

export const DEFAULT_CLIP_VISION = ['clip_vision_h.safetensors'];
