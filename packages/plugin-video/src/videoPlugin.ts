import { ComfyRelayError, type Plugin, type WorkflowDefinition } from '@comfyrelay/core';
import { videoFormats, type VideoFormat } from './workflows/videoOutputs.js';
import {
  imageToVideoDefinition,
  textToVideoDefinition,
  type VideoWorkflowOptions,
} from './workflows/videoWorkflows.js';

export const VIDEO_PLUGIN_NAME = '@comfyrelay/plugin-video';

export interface VideoPluginOptions extends Omit<VideoWorkflowOptions, 'format'> {
  /**
   * The file formats to offer; each is a workflow of its own (`video.text-to-video` for `mp4`,
   * `video.text-to-video.webm` …). Default `['mp4']`. The `vhs-*` ones need VideoHelperSuite.
   */
  formats?: readonly VideoFormat[];
}

/** Every definition the plugin registers with these options. */
export function videoDefinitions(options: VideoPluginOptions = {}): WorkflowDefinition[] {
  const { formats = ['mp4'], ...shared } = options;
  const unknown = formats.filter((format) => !videoFormats.includes(format));
  if (unknown.length > 0) {
    throw new ComfyRelayError(
      `${VIDEO_PLUGIN_NAME}: unknown format ${unknown.join(', ')}; use ${videoFormats.join(', ')}`,
    );
  }
  return [...new Set(formats)].flatMap((format) => [
    textToVideoDefinition({ ...shared, format }),
    imageToVideoDefinition({ ...shared, format }),
  ]);
}

export function createVideoPlugin(options: VideoPluginOptions = {}): Plugin {
  const definitions = videoDefinitions(options);
  return {
    name: VIDEO_PLUGIN_NAME,
    register(host) {
      for (const definition of definitions) host.registerWorkflow(definition);
    },
  };
}

/** Text-to-video and image-to-video as MP4, with ComfyUI's Wan 2.2 model files. */
export const videoPlugin: Plugin = createVideoPlugin();
