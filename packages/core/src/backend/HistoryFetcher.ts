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

export interface HistoryFetcherOptions {
  /**
   * Resolves when a read may go: true once the socket has caught up with the server, false when
   * it is still busy and waited long enough (see `ComfyConnection.whenQuiet`). Default: at once.
   */
  ready?: () => Promise<boolean>;
  /**
   * How many of our prompts the server may have finished without the socket having said so yet:
   * while the socket lags behind, their entries may be newer than the ones asked for.
   */
  unheard?: () => number;
}

/** The smallest batch worth asking for: cheap, and room for a few prompts of other clients. */
const MIN_BATCH = 32;

/**
 * Reads history entries of finished prompts. Completions that arrive together share one
 * `GET /history?max_items=N` (like queue refreshes share one `GET /queue`), so a burst of
 * finished prompts never opens a connection each; ids the batch missed are asked one by one,
 * unless the batch held the server's whole history.
 *
 * A read waits for the socket to catch up first (`ready`): while frames pour in, the server is
 * ahead of what we heard, so the entries we want sink below others the batch does not reach —
 * and every completion heard meanwhile joins the same batch. ComfyUI lists history newest
 * last and answers `max_items` with the newest: N waiting ids get 2N (at least 32), plus, if the
 * socket never caught up, every prompt the server may have finished unheard.
 */
export class HistoryFetcher {
  private readonly waiting = new Map<string, Waiter[]>();
  private running = false;
  private readonly ready: () => Promise<boolean>;
  private readonly unheard: () => number;

  constructor(
    private readonly http: ComfyHttpClient,
    private readonly logger: Logger,
    options: HistoryFetcherOptions = {},
  ) {
    this.ready = options.ready ?? (() => Promise.resolve(true));
    this.unheard = options.unheard ?? (() => 0);
  }

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
        const caughtUp = await this.ready().catch(() => false);
        const batch = new Map(this.waiting);
        this.waiting.clear();
        let reading: Reading;
        try {
          reading = await this.fetch([...batch.keys()], caughtUp ? 0 : this.unheard());
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

  private async fetch(promptIds: string[], unheard: number): Promise<Reading> {
    const found = new Map<string, HistoryEntry>();
    const failed = new Map<string, Error>();
    // An answer with fewer entries than asked for is the server's whole history: what it lacks,
    // the server has no entry for (after a restart, hundreds of prompts it lost cost no request).
    let whole = false;
    if (promptIds.length > 1) {
      try {
        const asked = Math.max(promptIds.length * 2, MIN_BATCH) + Math.max(0, unheard);
        const recent = await this.http.getHistory(asked);
        for (const promptId of promptIds) {
          const entry = Object.hasOwn(recent, promptId) ? recent[promptId] : undefined;
          if (entry) found.set(promptId, entry);
        }
        whole = Object.keys(recent).length < asked;
      } catch (error) {
        this.logger.debug('history batch failed', { error: describe(error) });
      }
    }
    if (whole) return { found, failed };
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
