import type { Logger } from '../util/Logger.js';
import type { GenerationRecord } from './GenerationState.js';
import type { GenerationStore } from './GenerationStore.js';

/** What the registry keeps of a live generation: its record now, and its owner. */
export interface LiveGeneration {
  readonly generation: { readonly id: string; toRecord(): GenerationRecord };
}

/** The live generations by id (in memory, with their owners) and the store of their records. */
export class GenerationRegistry<L extends LiveGeneration = LiveGeneration> {
  private readonly live = new Map<string, L>();

  constructor(
    readonly store: GenerationStore,
    private readonly logger: Logger,
  ) {}

  add(entry: L): void {
    this.live.set(entry.generation.id, entry);
    this.persist(entry.generation.toRecord());
  }

  /** A terminal generation leaves memory; its record stays in the store. */
  retire(entry: L): void {
    this.live.delete(entry.generation.id);
    this.persist(entry.generation.toRecord());
  }

  get(id: string): L | undefined {
    return this.live.get(id);
  }

  async record(id: string): Promise<GenerationRecord | undefined> {
    return this.live.get(id)?.generation.toRecord() ?? (await this.store.get(id));
  }

  active(): L[] {
    return [...this.live.values()];
  }

  get size(): number {
    return this.live.size;
  }

  private persist(record: GenerationRecord): void {
    try {
      const saved = this.store.save(record);
      if (saved instanceof Promise)
        saved.catch((error: unknown) =>
          this.logger.error('could not save a generation', { id: record.id, error: String(error) }),
        );
    } catch (error) {
      this.logger.error('could not save a generation', { id: record.id, error: String(error) });
    }
  }
}
