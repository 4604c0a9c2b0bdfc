/** What the generation store was asked to do. */
export type StoreOperation =
  'save' | 'saveMany' | 'get' | 'list' | 'unfinished' | 'prune' | 'delete';

/** Told how long each store operation took, in seconds (failed ones included). */
export type StoreTimingObserver = (operation: StoreOperation, seconds: number) => void;

/** A platform call a chat platform answered "too many requests" (a 429) and the outbox waited out. */
export interface RateLimitNotice {
  /** The chat platform (`discord`, `telegram` …). */
  platform: string;
  /** What it held back: one message, one chat, or every call of the bot. */
  scope: 'message' | 'chat' | 'global';
  retryAfterMs: number;
}

/**
 * The platform's own measurements, for whichever app reports them (the console's `/metrics`):
 * plain numbers and observers, so neither the platform nor the apps that feed it depend on a
 * metrics library. The store's latency is pushed to observers as it happens (a histogram needs
 * each observation); 429s are counted here and read at a scrape, so a reader that starts late,
 * or again, still sees them all.
 */
export class PlatformMetrics {
  readonly #storeObservers = new Set<StoreTimingObserver>();
  readonly #rateLimited = new Map<string, number>();

  /** Hear every store operation's duration from now on; returns the way to stop hearing them. */
  observeStore(observer: StoreTimingObserver): () => void {
    this.#storeObservers.add(observer);
    return () => this.#storeObservers.delete(observer);
  }

  /** Whether anyone listens: the store skips reading the clock when no one does. */
  get storeObserved(): boolean {
    return this.#storeObservers.size > 0;
  }

  /** A store operation took `seconds` (the store's timing decorator calls this). */
  storeOperation(operation: StoreOperation, seconds: number): void {
    for (const observer of this.#storeObservers) {
      try {
        observer(operation, seconds);
      } catch {
        // A reader's failure is not the store's: the write or read it measured went through.
      }
    }
  }

  /**
   * A chat platform answered 429. Bound, so chat apps pass it as it is to `ChatService`'s
   * `onRateLimited`.
   */
  readonly rateLimited = (notice: RateLimitNotice): void => {
    this.#rateLimited.set(notice.platform, (this.#rateLimited.get(notice.platform) ?? 0) + 1);
  };

  /** 429s since start, by chat platform. */
  rateLimits(): ReadonlyMap<string, number> {
    return this.#rateLimited;
  }
}
