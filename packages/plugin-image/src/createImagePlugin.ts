import type { Plugin } from '@comfyrelay/core';
import { createImageWorkflows } from './createImageWorkflows.js';
import type { ImagePluginOptions } from './ImagePluginOptions.js';

export const IMAGE_PLUGIN_NAME = '@comfyrelay/plugin-image';

/** The image plugin with options (which workflows, default models, limits). */
export function createImagePlugin(options: ImagePluginOptions = {}): Plugin {
  return {
    name: IMAGE_PLUGIN_NAME,
    register(host) {
      for (const definition of createImageWorkflows(options)) host.registerWorkflow(definition);
    },
  };
}

/** The image plugin with its defaults: `relay.plugins.use(imagePlugin)`. */
export const imagePlugin: Plugin = createImagePlugin();
