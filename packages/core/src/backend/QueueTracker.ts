import type { ComfyHttpClient } from '../http/ComfyHttpClient.js';
import type { QueueResponse } from '../protocol/rest.js';
import type { Logger } from '../util/Logger.js';

export interface QueueView {
  running: string[];
  /** Pending prompt ids in the order they will run (ComfyUI's list is a heap: sorted here). */
  pending: string[];
}

export function readQueue(queue: QueueResponse): QueueView {
  return {
    running: queue.queue_running.map((item) => item[1]),
    pending: [...queue.queue_pending].sort((a, b) => a[0] - b[0]).map((item) => item[1]),
  };
}

/**
 * Keeps a fresh view of ComfyUI's queue. Refreshes are coalesced: however many `status`
 * messages or submissions ask for one, at most one `GET /queue` is in flight and one follows it.
 */
export class QueueTracker {
  private inFlight: Promise<void> | undefined;
  private again = false;
  private latest: QueueView = { running: [], pending: [] };

  constructor(
    private readonly http: ComfyHttpClient,
    private readonly onView: (view: QueueView) => void,
    private readonly logger: Logger,
  ) {}

  get view(): QueueView {
    return this.latest;
  }

  get length(): number {
    return this.latest.running.length + this.latest.pending.length;
  }

  /** Ask for a refresh; resolves when a refresh that started after this call has finished. */
  refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = this.run().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      try {
        this.latest = readQueue(await this.http.getQueue());
        this.onView(this.latest);
      } catch (error) {
        this.logger.debug('queue refresh failed', { error: String(error) });
        return;
      }
    } while (this.again);
  }
}
