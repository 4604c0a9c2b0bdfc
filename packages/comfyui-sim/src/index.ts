export { ComfySimulator, type QueueSnapshot } from './simulator.js';
export { simulatorObjectInfo } from './node-catalogue.js';
export type { SimulatorOptions } from './options.js';
export type { SimulatorEvents, ExecutionEndStatus } from './events.js';
export type { FaultController, RouteMatcher } from './faults.js';
export type { SimDirs, FolderType } from './storage/dirs.js';
