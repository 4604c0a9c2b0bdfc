import type { PromptHost } from '../../../src/backend/TrackedPrompt.js';
import { TrackedPrompt } from '../../../src/backend/TrackedPrompt.js';
import type { QueueView } from '../../../src/backend/QueueTracker.js';
import type { RelayEvent } from '../../../src/events.js';
import { Generation } from '../../../src/generation/Generation.js';
import type { ComfyHttpClient } from '../../../src/http/ComfyHttpClient.js';
import { StepWeightedInterpreter } from '../../../src/progress/StepWeightedInterpreter.js';
import type { ApiWorkflow } from '../../../src/protocol/graph.js';
import type { HistoryEntry } from '../../../src/protocol/rest.js';
import type { Logger } from '../../../src/util/Logger.js';
import { NODE_SAMPLER, NODE_SAVE } from './samples.js';

export const stubGraph: ApiWorkflow = {
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'x.safetensors' } },
  [NODE_SAMPLER]: { class_type: 'KSampler', inputs: { steps: 20, model: ['4', 0] } },
  '8': { class_type: 'VAEDecode', inputs: { samples: [NODE_SAMPLER, 0] } },
  [NODE_SAVE]: { class_type: 'SaveImage', inputs: { images: ['8', 0] } },
};

export interface StubbedPrompt {
  prompt: TrackedPrompt;
  generation: Generation;
  events: RelayEvent[];
  host: PromptHost;
}

/**
 * A {@link TrackedPrompt} on a stub host (no server): its generation runs the default
 * interpreter; `history` is what `readHistory` answers (it may be garbage).
 */
export function stubbedPrompt(
  promptId: string,
  options: { history?: () => unknown; logger?: Logger; graph?: ApiWorkflow } = {},
): StubbedPrompt {
  const events: RelayEvent[] = [];
  const graph = options.graph ?? stubGraph;
  const generation = new Generation(
    { id: `gen-${promptId}`, promptId },
    new StepWeightedInterpreter().track(graph),
    { publish: (event) => void events.push(event), settled: () => undefined },
  );
  const host: PromptHost = {
    id: 'stub',
    http: {} as ComfyHttpClient,
    clientId: 'stub-client',
    accepted: () => undefined,
    freshQueue: async (): Promise<QueueView> => ({ running: [], pending: [] }),
    readHistory: async () => options.history?.() as HistoryEntry | undefined,
    historyAttempts: 2,
    cancelConfirmMs: 10,
    ...(options.logger ? { logger: options.logger } : {}),
  };
  const prompt = new TrackedPrompt({ generation, graph, outputs: [] }, host);
  return { prompt, generation, events, host };
}

/** The progress fractions a generation published, in order. */
export function fractionsOf(events: readonly RelayEvent[]): number[] {
  return events.flatMap((event) => (event.type === 'progress' ? [event.progress.fraction] : []));
}
