import { silentLogger, type GenerationHandle, type Logger } from '@comfyrelay/core';
import type { ActionCodec } from '../actions/ActionCodec.js';
import type { ChatAdapter } from '../adapter/ChatAdapter.js';
import { ChatOutbox } from '../adapter/ChatOutbox.js';
import { systemClock, type Clock } from '../adapter/Clock.js';
import { englishWording } from '../wording/englishWording.js';
import type { Wording } from '../wording/Wording.js';
import {
  JobMessage,
  type FinalMessageBuilder,
  type FollowOptions,
  type RelayFeed,
} from './JobMessage.js';

export interface MessageUpdaterOptions {
  /** The adapter's outbox, when the app sends through it too (it should: one budget). */
  outbox?: ChatOutbox;
  clock?: Clock;
  wording?: Wording;
  logger?: Logger;
  /** Show ComfyUI's previews in the progress message (default true). */
  previews?: boolean;
  /** Puts a Cancel button under progress messages. */
  codec?: ActionCodec;
  /** How finished jobs end (e.g. with `buildResultMessage`); default: the last view in words. */
  finalMessage?: FinalMessageBuilder;
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
    this.outbox = options.outbox ?? new ChatOutbox(adapter, { clock: this.clock });
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
    });
    this.jobs.set(handle.id, job);
    void job.finished.then(() => this.jobs.delete(handle.id));
    return job;
  }

  job(id: string): JobMessage | undefined {
    return this.jobs.get(id);
  }

  close(): void {
    this.outbox.close();
  }
}
