import type { ApiPrompt } from '../prompt.js';

export type ExtraData = Record<string, unknown>;

/** ComfyUI's queue tuple (number, prompt_id, prompt, extra_data, outputs_to_execute, sensitive). */
export interface QueueItem {
  number: number;
  promptId: string;
  prompt: ApiPrompt;
  extraData: ExtraData;
  outputsToExecute: string[];
  sensitive: Record<string, unknown>;
}

/** The five-element array GET /queue and history show (sensitive data never leaves the server). */
export function queueItemJson(item: QueueItem): [number, string, ApiPrompt, ExtraData, string[]] {
  return [item.number, item.promptId, item.prompt, item.extraData, item.outputsToExecute];
}

/** Who gets the prompt's messages: `client_id` from extra_data, which ComfyUI compares as-is. */
export function clientIdOf(item: QueueItem): unknown {
  return item.extraData['client_id'] ?? null;
}

/** Heap order: lowest number first; ties broken by prompt id, as Python compares the tuples. */
export function runsBefore(a: QueueItem, b: QueueItem): boolean {
  if (a.number !== b.number) return a.number < b.number;
  return a.promptId < b.promptId;
}
