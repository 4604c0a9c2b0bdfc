import 'reflect-metadata';

export { main, commands } from './main.js';
export { runCommand } from './commands/run.js';
export { generateCommand } from './commands/generate.js';
export { workflowsCommand, type WorkflowsOutput } from './commands/workflows.js';
export {
  registerPlugins,
  createPlugins,
  objectInfoFromRelay,
  describeOffer,
  describeLoadProblems,
  FOLDER_PLUGIN_NAME,
  type PluginsReport,
  type PluginLoad,
  type PluginTarget,
  type FolderFailure,
  type LoadPluginsOptions,
} from './plugins/loadPlugins.js';
export { workflowsDirFrom } from './settings/workflowsDir.js';
export {
  workflowView,
  parameterView,
  formatWorkflowList,
  formatWorkflowHelp,
  type WorkflowView,
  type ParameterView,
  type ActionView,
} from './plugins/describeWorkflow.js';
export { buildParameters, describeParameterError } from './plugins/buildParameters.js';
export {
  runGenerations,
  createRunRelay,
  type RunJob,
  type RunSetup,
} from './run/runGenerations.js';
export {
  statusCommand,
  probeBackend,
  formatStatus,
  type BackendStatus,
} from './commands/status.js';
export { startCommand } from './commands/start.js';
export { discordCommand, telegramCommand } from './commands/bots.js';
export { configCommand, type ConfigCheckOutput } from './commands/config.js';
export { simCommand } from './commands/sim.js';
export { START_SECTIONS, type StartConfig } from './platform/sections.js';
export {
  loadStartConfig,
  type LoadedStartConfig,
  type StartOverrides,
} from './platform/loadStartConfig.js';
export {
  appsFor,
  CHAT_FRONTENDS,
  EVERY_APP,
  type AppSelection,
  type ChatFrontendName,
  type ChatLine,
  type PlatformApps,
} from './platform/appsFor.js';
export { platformCommand, type PlatformCommandOptions } from './platform/platformCommand.js';
export {
  startPlatformService,
  type PlatformService,
  type ServiceServer,
} from './platform/startPlatformService.js';
export { describeService, describeStopping, describeStopped } from './platform/describeService.js';
export type { CliIO, OutputStream, SimulatorOverrides } from './io.js';
export type { RunEvent, RunFailure, SubmittedDetails } from './run/RunEvent.js';
export { loadWorkflowFile, parseWorkflow } from './workflowFile.js';
export {
  parseSetOption,
  parseImageOption,
  type SetOption,
  type ImageOption,
} from './run/setOption.js';
export { resolveInputs, type ResolvedInputs } from './run/resolveInputs.js';
export { planGenerations, seedInputsOf, type PlannedGeneration } from './run/seeds.js';
export { comfyUrlsFrom } from './comfyUrls.js';
export { closestMatches } from '@comfyrelay/core';
export { prepareOutputDir } from './outputDir.js';
export { readImageFile } from './images/readImageFile.js';
export { userDirectory } from './userDirectory.js';
export { interruptedStatus } from './interruption.js';
export { TerminalProgress } from './render/TerminalProgress.js';
export {
  formatProgressLine,
  type LineState,
  type LineStatus,
} from './render/formatProgressLine.js';
export { JsonLines } from './render/JsonLines.js';
export { PlainLog } from './render/PlainLog.js';
export { saveOutputs, writeNewFile, fileNameFor } from './saveOutputs.js';
export { version } from './version.js';
export {
  workflowCommand,
  formatWorkflowCheck,
  WORKFLOW_USAGE,
  type WorkflowCheckOutput,
  type ObjectInfoSource,
} from './commands/workflowCheck.js';
