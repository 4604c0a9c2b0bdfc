export {
  videoPlugin,
  createVideoPlugin,
  videoDefinitions,
  VIDEO_PLUGIN_NAME,
  type VideoPluginOptions,
} from './videoPlugin.js';
export {
  textToVideoDefinition,
  imageToVideoDefinition,
  videoWorkflowId,
  TEXT_TO_VIDEO,
  IMAGE_TO_VIDEO,
  DEFAULT_VIDEO_DEADLINE_MS,
  defaultWanModels,
  type VideoWorkflowOptions,
  type WanModels,
  type WanModelPair,
} from './workflows/videoWorkflows.js';
export {
  videoFormats,
  videoOutput,
  type VideoFormat,
  type VideoOutput,
} from './workflows/videoOutputs.js';
export { videoLimits, WAN_NEGATIVE_PROMPT } from './workflows/videoParameters.js';
export {
  applyWanSchedule,
  roundWanFrames,
  wanFrameCount,
  wanSplitStep,
  type WanLayout,
} from './workflows/wanSchedule.js';
export {
  VideoProgressInterpreter,
  defaultVideoProgressWeights,
  type VideoProgressWeights,
} from './progress/VideoProgressInterpreter.js';
export { textToVideo, imageToVideo } from './definitions.js';
