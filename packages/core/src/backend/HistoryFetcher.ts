import type { ComfyHttpClient } from '../http/ComfyHttpClient.js';
import type { HistoryEntry } from '../protocol/rest.js';
import type { Logger } from '../util/Logger.js';

interface Waiter {
  resolve: (entry: HistoryEntry | undefined) => void;
  reject: (error: Error) => void;
}

/** What one read gave: the entries found, and the ids whose read failed (not "no entry"). */
interface Reading {
  found: Map<string, HistoryEntry>;
  failed: Map<string, Error>;
}

/**
 * Reads history entries of finished prompts. Completions that arrive together share one
 * `GET /history?max_items=N` (like queue refreshes share one `GET /queue`), so a burst of
 * finished prompts never opens a connection each; ids the batch missed are asked one by one.
 */
export class HistoryFetcher {
  private readonly waiting = new Map<string, Waiter[]>();
  private running = false;

  constructor(
    private readonly http: ComfyHttpClient,
    private readonly logger: Logger,
  ) {}

  /**
   * The entry, or undefined while ComfyUI has none (pending, running, unknown, or not yet
   * written). Rejects when the history could not be read: that says nothing about the prompt.
   */
  get(promptId: string): Promise<HistoryEntry | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(promptId);
      if (waiters) waiters.push({ resolve, reject });
      else this.waiting.set(promptId, [{ resolve, reject }]);
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.size > 0) {
        const batch = new Map(this.waiting);
        this.waiting.clear();
        let reading: Reading;
        try {
          reading = await this.fetch([...batch.keys()]);
        } catch (error) {
          // fetch catches what the server can cause; whatever else, no waiter is left hanging.
          this.logger.warn('history read failed', { error: describe(error) });
          const failure = error instanceof Error ? error : new Error(String(error));
          reading = {
            found: new Map(),
            failed: new Map([...batch.keys()].map((id) => [id, failure])),
          };
        }
        for (const [promptId, waiters] of batch) {
          const failure = reading.failed.get(promptId);
          for (const waiter of waiters)
            if (failure) waiter.reject(failure);
            else waiter.resolve(reading.found.get(promptId));
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async fetch(promptIds: string[]): Promise<Reading> {
    const found = new Map<string, HistoryEntry>();
    const failed = new Map<string, Error>();
    if (promptIds.length > 1) {
      try {
        const recent = await this.http.getHistory(Math.max(promptIds.length * 2, 32));
        for (const promptId of promptIds) {
          const entry = Object.hasOwn(recent, promptId) ? recent[promptId] : undefined;
          if (entry) found.set(promptId, entry);
        }
      } catch (error) {
        this.logger.debug('history batch failed', { error: describe(error) });
      }
    }
    const missing = promptIds.filter((promptId) => !found.has(promptId));
    await Promise.all(
      missing.map(async (promptId) => {
        try {
          const entry = await this.http.getHistoryEntry(promptId);
          if (entry) found.set(promptId, entry);
        } catch (error) {
          this.logger.debug('history fetch failed', { promptId, error: describe(error) });
          failed.set(promptId, error instanceof Error ? error : new Error(String(error)));
        }
      }),
    );
    return { found, failed };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
