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
}

export const DEFAULT_STEP_DELAY_MS = 20;

export const DEFAULT_CHECKPOINTS = [
  'dreamshaper_8.safetensors',
  'sd_xl_base_1.0.safetensors',
  'v1-5-pruned-emaonly.safetensors',
];

export const DEFAULT_LORAS = ['add_detail.safetensors', 'pixel_art_xl.safetensors'];
