import type { ExecutionMessage } from '../execution/run-result.js';
import type { UiOutput } from '../nodes/types.js';
import { queueItemJson, type QueueItem } from './queue-item.js';

export interface HistoryEntry {
  prompt: ReturnType<typeof queueItemJson>;
  outputs: Record<string, UiOutput>;
  status: { status_str: 'success' | 'error'; completed: boolean; messages: ExecutionMessage[] };
  meta: Record<string, unknown>;
}

/** ComfyUI keeps this many entries and drops the oldest beyond it. */
const MAXIMUM_HISTORY_SIZE = 10_000;

/** In memory only, like ComfyUI: a restart forgets it. */
export class HistoryStore {
  private readonly entries = new Map<string, HistoryEntry>();

  add(item: QueueItem, entry: Omit<HistoryEntry, 'prompt'>): void {
    if (this.entries.size > MAXIMUM_HISTORY_SIZE) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(item.promptId, { prompt: queueItemJson(item), ...entry });
  }

  get(promptId: string): Record<string, HistoryEntry> {
    const entry = this.entries.get(promptId);
    return entry ? { [promptId]: entry } : {};
  }

  /** get_history(max_items, offset): the newest `maxItems` unless an offset is given. */
  list(maxItems: number | undefined, offset: number): Record<string, HistoryEntry> {
    const start = offset < 0 && maxItems !== undefined ? this.entries.size - maxItems : offset;
    const out: Record<string, HistoryEntry> = {};
    let index = 0;
    let taken = 0;
    for (const [promptId, entry] of this.entries) {
      if (index++ < start) continue;
      out[promptId] = entry;
      if (maxItems !== undefined && ++taken >= maxItems) break;
    }
    return out;
  }

  delete(promptId: unknown): void {
    if (typeof promptId === 'string') this.entries.delete(promptId);
  }

  clear(): void {
    this.entries.clear();
  }
}
