import type { GenerationRecord } from './GenerationState.js';

/**
 * Where generation records live once written. In memory today; a durable store (SQLite,
 * Redis …) implements the same interface so results survive a restart.
 */
export interface GenerationStore {
  save(record: GenerationRecord): void | Promise<void>;
  get(id: string): GenerationRecord | undefined | Promise<GenerationRecord | undefined>;
  /** Most recent first. */
  list(limit?: number): GenerationRecord[] | Promise<GenerationRecord[]>;
  delete(id: string): void | Promise<void>;
}

/** Keeps the last `capacity` records (default 1 000): memory stays flat however many come and go. */
export class InMemoryGenerationStore implements GenerationStore {
  private readonly records = new Map<string, GenerationRecord>();

  constructor(private readonly capacity = 1_000) {}

  save(record: GenerationRecord): void {
    this.records.delete(record.id);
    this.records.set(record.id, record);
    if (this.records.size > this.capacity) {
      const oldest = this.records.keys().next().value;
      if (oldest !== undefined) this.records.delete(oldest);
    }
  }

  get(id: string): GenerationRecord | undefined {
    return this.records.get(id);
  }

  list(limit = 50): GenerationRecord[] {
    return [...this.records.values()].reverse().slice(0, limit);
  }

  delete(id: string): void {
    this.records.delete(id);
  }

  get size(): number {
    return this.records.size;
  }
}
