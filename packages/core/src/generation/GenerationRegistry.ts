import type { Logger } from '../util/Logger.js';
import type { Generation } from './Generation.js';
import type { GenerationRecord } from './GenerationState.js';
import type { GenerationStore } from './GenerationStore.js';

/** The live generations (in memory, with their trackers) and the store of their records. */
export class GenerationRegistry {
  private readonly live = new Map<string, Generation>();

  constructor(
    readonly store: GenerationStore,
    private readonly logger: Logger,
  ) {}

  add(generation: Generation): void {
    this.live.set(generation.id, generation);
    this.persist(generation.toRecord());
  }

  /** A terminal generation leaves memory; its record stays in the store. */
  retire(generation: Generation): void {
    this.live.delete(generation.id);
    this.persist(generation.toRecord());
  }

  get(id: string): Generation | undefined {
    return this.live.get(id);
  }

  async record(id: string): Promise<GenerationRecord | undefined> {
    return this.live.get(id)?.toRecord() ?? (await this.store.get(id));
  }

  active(): Generation[] {
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
