import { silentLogger, type GenerationHandle, type Logger } from '@comfyrelay/core';
import type { ActionCodec } from '../actions/ActionCodec.js';
import type { ChatAdapter } from '../adapter/ChatAdapter.js';
import { ChatOutbox, type ChatOutboxOptions } from '../adapter/ChatOutbox.js';
import { systemClock, type Clock } from '../adapter/Clock.js';
import { englishWording } from '../wording/englishWording.js';
import type { Wording } from '../wording/Wording.js';
import type { DeliveryJournal } from './DeliveryJournal.js';
import {
  JobMessage,
  type FinalMessageBuilder,
  type FollowOptions,
  type RelayFeed,
} from './JobMessage.js';

export interface MessageUpdaterOptions {
  /** The adapter's outbox, when the app sends through it too (it should: one budget). */
  outbox?: ChatOutbox;
  /** For the outbox made here: a platform call not settled by then counts as failed (15 s). */
  callTimeoutMs?: number;
  /** For the outbox made here: told of every 429 (see {@link ChatOutboxOptions}). */
  onRateLimited?: ChatOutboxOptions['onRateLimited'];
  clock?: Clock;
  wording?: Wording;
  logger?: Logger;
  /** Show ComfyUI's previews in the progress message (default true). */
  previews?: boolean;
  /** Puts a Cancel button under progress messages. */
  codec?: ActionCodec;
  /** How finished jobs end (e.g. with `buildResultMessage`); default: the last view in words. */
  finalMessage?: FinalMessageBuilder;
  /** Told where each job's message is and whether its final was shown: what a restart needs. */
  journal?: DeliveryJournal;
}

/**
 * Follows jobs in one platform's chats: each job gets a message that shows its queue position
 * and progress within the adapter's budgets, and ends with its result or its failure in words.
 */
export class MessageUpdater {
  readonly outbox: ChatOutbox;
  private readonly jobs = new Map<string, JobMessage>();
  private readonly clock: Clock;

  constructor(
    private readonly relay: RelayFeed,
    private readonly adapter: ChatAdapter,
    private readonly options: MessageUpdaterOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.outbox =
      options.outbox ??
      new ChatOutbox(adapter, {
        clock: this.clock,
        ...(options.callTimeoutMs !== undefined ? { callTimeoutMs: options.callTimeoutMs } : {}),
        ...(options.onRateLimited ? { onRateLimited: options.onRateLimited } : {}),
      });
  }

  /** Jobs followed now. */
  get following(): number {
    return this.jobs.size;
  }

  /** Start showing a job; the returned message's `finished` settles once its final is shown. */
  follow(handle: GenerationHandle, options: FollowOptions): JobMessage {
    const existing = this.jobs.get(handle.id);
    if (existing) return existing;
    const job = new JobMessage(handle, options, {
      relay: this.relay,
      adapter: this.adapter,
      outbox: this.outbox,
      clock: this.clock,
      wording: this.options.wording ?? englishWording,
      logger: this.options.logger ?? silentLogger,
      previews: this.options.previews ?? true,
      codec: this.options.codec,
      finalMessage: this.options.finalMessage,
      journal: this.options.journal,
    });
    this.jobs.set(handle.id, job);
    void job.finished.then(() => this.jobs.delete(handle.id));
    return job;
  }

  job(id: string): JobMessage | undefined {
    return this.jobs.get(id);
  }

  /**
   * For a graceful stop: resolves once every job that ended has its final shown (or given up
   * on), those that end meanwhile included, or once `timeoutMs` passed. Jobs still running are
   * not waited for: a restart takes them up.
   */
  async settle(timeoutMs: number): Promise<void> {
    let timeUp = false;
    let wake: () => void = () => undefined;
    const stopTimer = this.clock.setTimer(() => {
      timeUp = true;
      wake();
    }, timeoutMs);
    const late = new Promise<void>((resolve) => (wake = resolve));
    try {
      for (;;) {
        const ending = [...this.jobs.values()].filter((job) => job.ending);
        if (ending.length === 0 || timeUp) return;
        await Promise.race([Promise.all(ending.map((job) => job.finished)), late]);
      }
    } finally {
      stopTimer();
    }
  }

  close(): void {
    this.outbox.close();
  }
}
