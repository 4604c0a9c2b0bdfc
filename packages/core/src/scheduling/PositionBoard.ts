import type { QueuePosition, RelayEvent } from '../events.js';

/**
 * Where every waiting generation stands, from each source that knows (comfyrelay's own queue,
 * each backend's queue), published as ONE `positions` event per tick and only when a position
 * changed: a queue move is one coalescable update, not one event per waiting generation.
 */
export class PositionBoard {
  private readonly sources = new Map<string, Readonly<Record<string, QueuePosition>>>();
  private published = new Map<string, number>();
  private scheduled = false;

  constructor(private readonly publish: (event: RelayEvent) => void) {}

  /** What one source knows now (it replaces what it said before). */
  set(source: string, positions: Readonly<Record<string, QueuePosition>>): void {
    const before = this.sources.get(source);
    this.sources.set(source, positions);
    // Nothing waits there, as before (comfyrelay's own queue, empty, on every dispatch): nothing
    // to look at, however many wait elsewhere.
    if (before !== undefined && isEmpty(before) && isEmpty(positions)) return;
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(this.flush);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const positions: Record<string, QueuePosition> = {};
    let changed = false;
    let count = 0;
    for (const source of this.sources.values()) {
      for (const id in source) {
        const slot = source[id]!;
        positions[id] = slot;
        count += 1;
        if (this.published.get(id) !== slot.position) changed = true;
      }
    }
    if (!changed && count === this.published.size) return;
    this.published = new Map(Object.entries(positions).map(([id, slot]) => [id, slot.position]));
    this.publish({ type: 'positions', positions });
  };
}

function isEmpty(positions: Readonly<Record<string, QueuePosition>>): boolean {
  for (const _ in positions) return false;
  return true;
}
