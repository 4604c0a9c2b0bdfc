import type { ComfyRelay, GenerationOrigin, Logger } from '@comfyrelay/core';
import type { BackendDetails } from '../backends/BackendDetails.js';
import type { ConsoleMetrics } from '../metrics/ConsoleMetrics.js';
import type { BackendWatch } from '../relay/BackendWatch.js';
import type { GenerationWatch } from '../relay/GenerationWatch.js';

/** What the console's routes share. */
export interface ConsoleContext {
  relay: ComfyRelay;
  logger: Logger;
  metrics: ConsoleMetrics;
  generations: GenerationWatch;
  backends: BackendWatch;
  backendDetails: BackendDetails;
  /** Who the Try-it form's generations are attributed to. */
  origin: GenerationOrigin;
}
