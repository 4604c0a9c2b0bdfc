import { BinaryHeap } from './binary-heap.js';
import { runsBefore, type QueueItem } from './queue-item.js';

/**
 * Pending prompts in a heap plus the running one. Every change calls `onUpdated`, which is how
 * ComfyUI's queue_updated() produces the `status` messages.
 */
export class PromptQueue {
  private readonly heap = new BinaryHeap<QueueItem>(runsBefore);
  private readonly running = new Map<string, QueueItem>();

  constructor(private readonly onUpdated: () => void) {}

  put(item: QueueItem, notify = true): void {
    this.heap.push(item);
    if (notify) this.onUpdated();
  }

  /** Moves the next prompt to running. */
  take(): QueueItem | undefined {
    const item = this.heap.pop();
    if (!item) return undefined;
    this.running.set(item.promptId, item);
    this.onUpdated();
    return item;
  }

  /** The running prompt is done (its history is already written). */
  finish(item: QueueItem): void {
    this.running.delete(item.promptId);
    this.onUpdated();
  }

  deletePending(promptId: unknown): boolean {
    const removed = this.heap.removeFirst((item) => item.promptId === promptId);
    if (removed) this.onUpdated();
    return removed !== undefined;
  }

  wipe(): void {
    this.heap.clear();
    this.onUpdated();
  }

  remaining(): number {
    return this.heap.size + this.running.size;
  }

  runningItems(): QueueItem[] {
    return [...this.running.values()];
  }

  /** Pending items in heap-array order (not sorted). */
  pendingItems(): QueueItem[] {
    return this.heap.toArray();
  }

  /** Pending items in the order they will run. */
  pendingInRunOrder(): QueueItem[] {
    return this.heap.toArray().sort((a, b) => (runsBefore(a, b) ? -1 : runsBefore(b, a) ? 1 : 0));
  }
}
