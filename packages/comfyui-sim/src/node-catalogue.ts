import { objectInfoAll } from './nodes/object-info-all.js';
import { NodeRegistry } from './nodes/registry.js';
import type { CatalogContext } from './nodes/types.js';
import { pyJson } from './util/py-json.js';
import {
  DEFAULT_CHECKPOINTS,
  DEFAULT_CLIP_VISION,
  DEFAULT_DIFFUSION_MODELS,
  DEFAULT_LORAS,
  DEFAULT_TEXT_ENCODERS,
  DEFAULT_UPSCALE_MODELS,
  DEFAULT_VAES,
} from './options.js';

/**
 * The simulator's node catalogue, as its `GET /object_info` answers, without starting a server:
 * the core ComfyUI classes it knows (inputs, limits, outputs), its default model lists and an
 * empty input folder. Tools use it to check a workflow offline against the classes it knows.
 * It is the parsed JSON a client would read (the seed maximum 2^64 - 1 becomes a plain number).
 */
export function simulatorObjectInfo(): Record<string, Record<string, unknown>> {
  const sorted = (names: readonly string[]) => [...names].sort();
  const catalog: CatalogContext = {
    checkpoints: sorted(DEFAULT_CHECKPOINTS),
    loras: sorted(DEFAULT_LORAS),
    diffusionModels: sorted(DEFAULT_DIFFUSION_MODELS),
    textEncoders: sorted(DEFAULT_TEXT_ENCODERS),
    vaes: sorted(DEFAULT_VAES),
    upscaleModels: sorted(DEFAULT_UPSCALE_MODELS),
    clipVision: sorted(DEFAULT_CLIP_VISION),
    // Only LoadImage's list reads the input folder, and here there is none.
    dirs: { input: '', output: '', temp: '' },
    inputFiles: () => [],
  };
  return JSON.parse(pyJson(objectInfoAll(new NodeRegistry(), catalog))) as Record<
    string,
    Record<string, unknown>
  >;
}
