export { imagePlugin, createImagePlugin, IMAGE_PLUGIN_NAME } from './createImagePlugin.js';
export { createImageWorkflows } from './createImageWorkflows.js';
export {
  IMAGE_WORKFLOW_IDS,
  MIN_SIDE,
  resolveImageOptions,
  type ImagePluginOptions,
  type ImageSize,
  type ImageWorkflowId,
  type ResolvedImageOptions,
} from './ImagePluginOptions.js';
export { ImageProgressInterpreter, stepWeightedView } from './progress/ImageProgressInterpreter.js';
export {
  ASPECT_PRESETS,
  parseAspect,
  sizeForAspect,
  type AspectPreset,
} from './size/sizeForAspect.js';
export { applyAspect, type AspectRules } from './size/applyAspect.js';
export {
  animateAction,
  rerollAction,
  upscaleAction,
  variationsAction,
} from './actions/imageActions.js';
export { TXT2IMG_NODES } from './definitions/txt2img.js';
export { TXT2IMG_LORA_NODES } from './definitions/txt2imgLora.js';
export { FLUX_NODES } from './definitions/flux.js';
export { IMG2IMG_NODES } from './definitions/img2img.js';
export { UPSCALE_NODES } from './definitions/upscale.js';
export { HIRES_NODES } from './definitions/hires.js';
export { loadTemplate } from './templates/loadTemplate.js';
