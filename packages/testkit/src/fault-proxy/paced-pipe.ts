import type { Socket } from 'node:net';
import type { Pacing } from './pacing.js';

// Past this much held-back data the source is paused, so a long delay cannot grow memory unbounded.
const QUEUE_HIGH_WATER_BYTES = 1024 * 1024;
// Throttled data goes out in slices of 1/20 s worth, so the rate is smooth rather than bursty.
const THROTTLE_SLICES_PER_SECOND = 20;

interface HeldChunk {
  bytes: Buffer;
  receivedAt: number;
}

/**
 * Forwards one direction of a connection, in order, applying the proxy's pacing as it is
 * at each moment: a chunk is due `delayMs` after it was received, and throttling spaces chunks out.
 */
export class PacedPipe {
  private readonly held: HeldChunk[] = [];
  private heldBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private throttledUntil = 0;
  private sourceEnded = false;
  private severed = false;
  private awaitingDrain = false;
  private sourcePaused = false;

  constructor(
    private readonly source: Socket,
    private readonly dest: Socket,
    private readonly pacing: Pacing,
  ) {}

  push(bytes: Buffer): void {
    if (this.severed) return;
    if (this.held.length === 0 && !this.pacing.active) {
      this.write(bytes);
    } else {
      this.held.push({ bytes, receivedAt: Date.now() });
      this.heldBytes += bytes.length;
      this.release();
    }
    this.updateSourceFlow();
  }

  /** The source sent its FIN: pass it on once everything received before it is delivered. */
  endAfterHeldData(): void {
    if (this.severed) return;
    this.sourceEnded = true;
    this.release();
  }

  /** The pacing changed: held chunks may be due sooner or later. */
  repace(): void {
    if (!this.severed) this.release();
  }

  /** Stops forwarding for good: held bytes are dropped and later ones ignored. */
  sever(): void {
    this.severed = true;
    this.clearTimer();
    this.held.length = 0;
    this.heldBytes = 0;
    // Keep reading, so a silenced peer's bytes are discarded rather than left to pile up.
    this.updateSourceFlow();
  }

  private release(): void {
    this.clearTimer();
    for (let next = this.held[0]; next; next = this.held[0]) {
      const waitMs = this.msUntilReleasable(next);
      if (waitMs > 0) {
        this.timer = setTimeout(() => this.release(), waitMs);
        break;
      }
      this.write(this.takeSlice(next));
    }
    if (this.held.length === 0 && this.sourceEnded) this.endDest();
    this.updateSourceFlow();
  }

  private msUntilReleasable(chunk: HeldChunk): number {
    const dueAt = chunk.receivedAt + this.pacing.delayMs;
    const throttleAt = this.pacing.bytesPerSecond > 0 ? this.throttledUntil : 0;
    return Math.max(dueAt, throttleAt) - Date.now();
  }

  private takeSlice(chunk: HeldChunk): Buffer {
    const rate = this.pacing.bytesPerSecond;
    const sliceSize = rate > 0 ? Math.ceil(rate / THROTTLE_SLICES_PER_SECOND) : chunk.bytes.length;
    let slice = chunk.bytes;
    if (chunk.bytes.length > sliceSize) {
      slice = chunk.bytes.subarray(0, sliceSize);
      chunk.bytes = chunk.bytes.subarray(sliceSize);
    } else {
      this.held.shift();
    }
    this.heldBytes -= slice.length;
    if (rate > 0) this.throttledUntil = Date.now() + (slice.length * 1000) / rate;
    return slice;
  }

  private write(bytes: Buffer): void {
    if (this.dest.destroyed || this.dest.writableEnded) return;
    if (this.dest.write(bytes) || this.awaitingDrain) return;
    this.awaitingDrain = true;
    this.dest.once('drain', () => {
      this.awaitingDrain = false;
      this.updateSourceFlow();
    });
  }

  private endDest(): void {
    if (!this.dest.destroyed && !this.dest.writableEnded) this.dest.end();
  }

  private updateSourceFlow(): void {
    const shouldPause =
      !this.severed && (this.awaitingDrain || this.heldBytes > QUEUE_HIGH_WATER_BYTES);
    if (shouldPause === this.sourcePaused) return;
    this.sourcePaused = shouldPause;
    if (shouldPause) this.source.pause();
    else this.source.resume();
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
