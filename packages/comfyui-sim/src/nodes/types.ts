import type { RgbImage } from '../image/rgb-image.js';
import type { ApiPrompt } from '../prompt.js';
import type { SimDirs } from '../storage/dirs.js';

/** A socket type ("INT", "MODEL"…) or, for a choice input, the list of choices. */
export type InputType = string | readonly string[];
export type InputOptions = Readonly<Record<string, unknown>>;
/** As in /object_info: `["INT", {default, min, max}]`, `[["a", "b"], {}]` or `["MODEL"]`. */
export type InputSpec = readonly [InputType] | readonly [InputType, InputOptions];

export interface NodeInputSpecs {
  required: Record<string, InputSpec>;
  optional?: Record<string, InputSpec>;
  hidden?: Record<string, string>;
}

/** The simulated models folder: the file names each loader offers. */
export interface ModelFolders {
  /** models/checkpoints: CheckpointLoaderSimple.ckpt_name */
  readonly checkpoints: readonly string[];
  /** models/loras: LoraLoader.lora_name */
  readonly loras: readonly string[];
  /** models/diffusion_models: UNETLoader.unet_name */
  readonly diffusionModels: readonly string[];
  /** models/text_encoders: CLIPLoader.clip_name, DualCLIPLoader.clip_name1/2 */
  readonly textEncoders: readonly string[];
  /** models/vae: VAELoader.vae_name */
  readonly vaes: readonly string[];
  /** models/upscale_models: UpscaleModelLoader.model_name */
  readonly upscaleModels: readonly string[];
  /** models/clip_vision: CLIPVisionLoader.clip_name */
  readonly clipVision: readonly string[];
}

/** What a node's input specs may depend on (choice lists come from the model and input folders). */
export interface CatalogContext extends ModelFolders {
  readonly dirs: SimDirs;
  /** Files directly in the input folder, sorted, as LoadImage lists them. */
  inputFiles(): string[];
}

export interface OutputSlot {
  type: string;
  name: string;
}

/** What an output node shows in the UI and reports in `executed` / history, e.g. `{images: [...]}`. */
export type UiOutput = Record<string, unknown>;

export interface NodeResult {
  outputs: readonly unknown[];
  ui?: UiOutput;
}

export interface NodeRunContext {
  readonly promptId: string;
  readonly nodeId: string;
  readonly prompt: ApiPrompt;
  readonly extraPngInfo: unknown;
  readonly dirs: SimDirs;
  readonly previewsEnabled: boolean;
  /** Aborted when the prompt is interrupted or abandoned (e.g. to kill an encoder process). */
  readonly signal: AbortSignal;
  /** Sleeps one sampler step: the simulator's step delay, or `nodeDelaySeconds` when the simulator was given none. Rejects on interrupt. */
  step(nodeDelaySeconds?: number): Promise<void>;
  /** Interruptible latency without progress (loaders, encoders). */
  pause(ms: number): Promise<void>;
  /** Reports `progress` / `progress_state` and, if given, a preview frame. */
  progress(value: number, max: number, preview?: RgbImage): void;
}

export interface CustomValidation {
  /** Inputs this validation takes over: their choice-list and min/max checks are skipped (ComfyUI's VALIDATE_INPUTS). */
  inputs: readonly string[];
  validate(values: Record<string, unknown>, catalog: CatalogContext): true | string;
}

export interface NodeDefinition {
  classType: string;
  displayName: string;
  description: string;
  category: string;
  pythonModule: string;
  outputNode: boolean;
  outputs: readonly OutputSlot[];
  inputTypes(catalog: CatalogContext): NodeInputSpecs;
  customValidation?: CustomValidation;
  /** Like IS_CHANGED: a fingerprint folded into the cache signature (e.g. the loaded file's hash). */
  fingerprint?(inputs: Record<string, unknown>, catalog: CatalogContext): string;
  execute(inputs: Record<string, unknown>, ctx: NodeRunContext): Promise<NodeResult>;
}

/** An exception raised by a node; becomes `execution_error`. */
export class NodeFailure extends Error {
  constructor(
    message: string,
    readonly exceptionType = 'RuntimeError',
    /** The innermost traceback frame, formatted like Python's traceback.format_tb. */
    readonly frame?: string,
  ) {
    super(message);
  }
}
