import 'reflect-metadata';

export { main, commands } from './main.js';
export { runCommand } from './commands/run.js';
export {
  statusCommand,
  probeBackend,
  formatStatus,
  type BackendStatus,
} from './commands/status.js';
export { startCommand, describeService } from './commands/start.js';
export { simCommand } from './commands/sim.js';
export {
  startRelayService,
  DEFAULT_EVENTS_PORT,
  type RelayService,
  type RelayServiceOptions,
} from './relayService.js';
export type { CliIO, OutputStream, SimulatorOverrides } from './io.js';
export type { RunEvent, RunFailure } from './run/RunEvent.js';
export {
  loadWorkflowFile,
  parseWorkflow,
  parseSetOption,
  parseInputValue,
  applyOverrides,
  planGenerations,
  seedInputsOf,
  type InputOverride,
  type PlannedGeneration,
} from './workflowFile.js';
export { TerminalProgress } from './render/TerminalProgress.js';
export {
  formatProgressLine,
  type LineState,
  type LineStatus,
} from './render/formatProgressLine.js';
export { JsonLines } from './render/JsonLines.js';
export { PlainLog } from './render/PlainLog.js';
export { saveOutputs, writeNewFile } from './saveOutputs.js';
export { version } from './version.js';
export { workflowCommand, formatWorkflowCheck, WORKFLOW_USAGE, type WorkflowCheckOutput, type ObjectInfoSource } from './commands/workflowCheck.js';
