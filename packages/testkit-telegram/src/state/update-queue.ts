import type { Update } from '../types.js';

/** What Telegram sends when allowed_updates is empty or was never given. */
const NOT_SENT_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

/** The bot's unconfirmed updates, in order, with Telegram's offset and allowed_updates rules. */
export class UpdateQueue {
  private pending: Update[] = [];
  private nextUpdateId = 1;
  private allowed: string[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly removalListeners = new Set<(updateIds: number[]) => void>();

  /** Empty means Telegram's default set. */
  get allowedUpdates(): string[] {
    return [...this.allowed];
  }

  /** Like Telegram, only affects updates created from now on. */
  setAllowedUpdates(types: string[]): void {
    this.allowed = [...types];
  }

  isAllowed(type: string): boolean {
    return this.allowed.length === 0 ? !NOT_SENT_BY_DEFAULT.has(type) : this.allowed.includes(type);
  }

  /** Queues the update `build` makes, unless its type is filtered out (then returns undefined). */
  enqueue(type: string, build: (updateId: number) => Update): Update | undefined {
    if (!this.isAllowed(type)) return undefined;
    const update = build(this.nextUpdateId++);
    this.pending.push(update);
    for (const listener of this.listeners) listener();
    return update;
  }

  onEnqueue(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Told which updates left the queue: confirmed, delivered to the webhook, or dropped. */
  onRemove(listener: (updateIds: number[]) => void): void {
    this.removalListeners.add(listener);
  }

  /** getUpdates' offset: positive confirms everything before it, negative keeps the last -offset. */
  confirm(offset: number): void {
    if (offset > 0) this.keep(this.pending.filter((update) => update.update_id >= offset));
    else if (offset < 0) this.keep(this.pending.slice(offset));
  }

  peek(limit: number): Update[] {
    return this.pending.slice(0, limit);
  }

  remove(updateId: number): void {
    this.keep(this.pending.filter((update) => update.update_id !== updateId));
  }

  clear(): void {
    this.keep([]);
  }

  get size(): number {
    return this.pending.length;
  }

  has(updateId: number): boolean {
    return this.pending.some((update) => update.update_id === updateId);
  }

  private keep(remaining: Update[]): void {
    const removed = this.pending.filter((update) => !remaining.includes(update));
    this.pending = remaining;
    if (removed.length === 0) return;
    const ids = removed.map((update) => update.update_id);
    for (const listener of this.removalListeners) listener(ids);
  }
}
