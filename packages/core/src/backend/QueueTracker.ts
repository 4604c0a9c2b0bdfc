import { ComfyRelayError } from '../errors.js';
import { queueProblem, type ComfyHttpClient } from '../http/ComfyHttpClient.js';
import type { QueueResponse } from '../protocol/rest.js';
import type { Logger } from '../util/Logger.js';

export interface QueueView {
  running: string[];
  /** Pending prompt ids in the order they will run (ComfyUI's list is a heap: sorted here). */
  pending: string[];
}

/** When a view was asked for: what the socket had heard by then, and the monotonic time. */
export interface QueueStamp {
  /** `performance.now()` when the request was sent. */
  requestedAt: number;
  /** The connection's message count when the request was sent. */
  heard: number;
  /** The connection's `status` count when the request was sent. */
  statuses: number;
}

/**
 * The prompt ids of a `/queue` answer, pending ones in the order they will run. Throws a
 * {@link ComfyRelayError} saying what is wrong when the answer is not what ComfyUI sends (a
 * view missing an unreadable item would make that prompt look as if it had left the queue).
 */
export function readQueue(queue: QueueResponse): QueueView {
  const problem = queueProblem(queue);
  if (problem !== undefined)
    throw new ComfyRelayError(`ComfyUI's queue could not be read: ${problem}`);
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
    private readonly onView: (view: QueueView, stamp: QueueStamp) => void,
    private readonly logger: Logger,
    private readonly heard: () => Omit<QueueStamp, 'requestedAt'> = () => ({
      heard: 0,
      statuses: 0,
    }),
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
        const stamp = { requestedAt: performance.now(), ...this.heard() };
        this.latest = readQueue(await this.http.getQueue());
        this.onView(this.latest, stamp);
      } catch (error) {
        // Unreachable, or an answer that could not be read: the view stays as it was.
        this.logger.debug('queue refresh failed', {
          error: error instanceof Error ? error.message : String(error),
        });
        return;
      }
    } while (this.again);
  }
}
