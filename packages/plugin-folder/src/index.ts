/**
 * `@comfyrelay/plugin-folder`: operators' own workflows, exported from ComfyUI with
 * "Export (API)" into a folder, offered as chat commands, plus the tools to check them.
 */

// The plugin: every usable file of a folder becomes `custom.<name>`.
export {
  createFolderWorkflowsPlugin,
  type FolderWorkflowsPlugin,
  type FolderWorkflowsPluginOptions,
} from './folder/createFolderWorkflowsPlugin.js';
export {
  loadWorkflowFolder,
  type FolderLoadResult,
  type WorkflowLoadFailure,
} from './folder/loadWorkflowFolder.js';

// Checking one file, as `comfyrelay workflow check` does.
export {
  checkWorkflowFile,
  MANIFEST_SUFFIX,
  type WorkflowFileReport,
} from './folder/checkWorkflowFile.js';
export type { WorkflowManifest, ManifestParameter } from './folder/WorkflowManifest.js';
export {
  hasErrors,
  type WorkflowProblem,
  type WorkflowProblemCode,
} from './detect/WorkflowProblem.js';

// Reading an API-format workflow (the one reader of the repo) and running it as it is.
export { readApiWorkflow } from './read/readApiWorkflow.js';
export { readApiWorkflowText } from './read/readApiWorkflowText.js';
export { readApiWorkflowFile } from './read/readApiWorkflowFile.js';
export type {
  ReadApiWorkflowOptions,
  ReadApiWorkflowResult,
} from './read/ReadApiWorkflowResult.js';
export { workflowFromGraph, type WorkflowFromGraphOptions } from './workflowFromGraph.js';

// Detection alone, without files or manifests.
export { detectWorkflow } from './detect/detectWorkflow.js';
export { detectWorkflowJson } from './detect/detectWorkflowJson.js';
export type {
  DetectedBinding,
  DetectOptions,
  WorkflowDetection,
} from './detect/WorkflowDetection.js';
