import type { SimulatorEvents } from './events.js';
import type { StepClock } from './execution/step-clock.js';
import type { FaultController } from './faults.js';
import type { NodeRegistry } from './nodes/registry.js';
import type { CatalogContext } from './nodes/types.js';
import type { SimDirs } from './storage/dirs.js';
import type { TypedEmitter } from './util/typed-emitter.js';

/** What survives a simulated restart: configuration, folders on disk, faults, listeners. */
export interface SimServices {
  registry: NodeRegistry;
  catalog: CatalogContext;
  dirs: SimDirs;
  clock: StepClock;
  events: TypedEmitter<SimulatorEvents>;
  faults: FaultController;
  previews: boolean;
  messagesBeforeResponse: boolean;
  isHeld(): boolean;
  /** For /system_stats argv. */
  listenArgs(): { host: string; port: number };
}
