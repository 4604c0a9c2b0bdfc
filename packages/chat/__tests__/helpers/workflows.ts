import { collectWorkflows, type WorkflowDefinition } from '@comfyrelay/core';
import { createFolderWorkflowsPlugin } from '@comfyrelay/plugin-folder';
import { imagePlugin } from '@comfyrelay/plugin-image';
import { createVideoPlugin, videoFormats } from '@comfyrelay/plugin-video';

const fixtures = new URL('../../../plugin-folder/__tests__/fixtures/workflows/', import.meta.url);

/**
 * Every workflow the image plugin, the video plugin (every format) and plugin-folder's fixture
 * folders register: what a real bot offers, and the odd names operators give their files.
 */
export function everyWorkflow(): Promise<WorkflowDefinition[]> {
  return collectWorkflows(
    imagePlugin,
    createVideoPlugin({ formats: videoFormats }),
    createFolderWorkflowsPlugin({ dir: fixtures.pathname, name: 'fixtures' }),
    createFolderWorkflowsPlugin({ dir: new URL('folder/', fixtures).pathname, name: 'manifests' }),
  );
}

/** A workflow with just what a catalog reads. */
export function workflow(
  id: string,
  parameters: WorkflowDefinition['parameters'] = [],
  extra: Partial<WorkflowDefinition> = {},
): WorkflowDefinition {
  return {
    id,
    title: id,
    description: `Runs ${id}`,
    template: {},
    parameters,
    outputs: [{ kind: 'image' }],
    ...extra,
  };
}
