import {
  type GenerationHandle,
  type GenerationRecord,
  type Logger,
  type RelayEvent,
  type Subscription,
} from '@comfyrelay/core';
import type { ActionCodec } from '../actions/ActionCodec.js';
import type {
  ButtonRow,
  ChatAdapter,
  ChatTarget,
  MessageRef,
  OutgoingFile,
  OutgoingMessage,
} from '../adapter/ChatAdapter.js';
import type { ChatOutbox } from '../adapter/ChatOutbox.js';
import type { Clock } from '../adapter/Clock.js';
import { describeFailure } from '../failures/describeFailure.js';
import { chatFailureOf } from '../failures/chatFailureOf.js';
import {
  applyRelayEvent,
  finishWith,
  isFinished,
  jobStateOf,
  type JobState,
} from '../progress/JobState.js';
import { buildProgressView, type ProgressView } from '../progress/ProgressView.js';
import { renderProgress } from '../progress/renderProgress.js';
import type { Wording } from '../wording/Wording.js';
import type { DeliveryJournal, FinalOutcome } from './DeliveryJournal.js';

/** What a job message needs from the relay: its events. */
export interface RelayFeed {
  subscribe(
    sink: { send(event: RelayEvent): void; close?(reason: { message: string }): void },
    options: { generation: string; name?: string },
  ): Pick<Subscription, 'unsubscribe'>;
}

/** Builds the message a finished job ends with (the result grid, or the failure in words). */
export type FinalMessageBuilder = (
  record: GenerationRecord,
  state: JobState,
) => Promise<OutgoingMessage>;

export interface FollowOptions {
  target: ChatTarget;
  /** A message to edit (a deferred reply); by default one is sent. */
  message?: MessageRef;
  replyTo?: MessageRef;
  /** Who asked, as the platform shows them ("@ann"). */
  requester?: string;
  /** Default: the prompt. */
  title?: string;
  /** Default: the updater's (results when it has them, else the last view in words). */
  finalMessage?: FinalMessageBuilder;
}

export interface JobMessageContext {
  relay: RelayFeed;
  adapter: ChatAdapter;
  outbox: ChatOutbox;
  clock: Clock;
  wording: Wording;
  logger: Logger;
  previews: boolean;
  codec?: ActionCodec | undefined;
  finalMessage?: FinalMessageBuilder | undefined;
  journal?: DeliveryJournal | undefined;
}

/** How following a job ended. */
export type JobMessageOutcome =
  | { delivered: true; message: MessageRef; state: JobState }
  | { delivered: false; error: unknown; state: JobState };

/** After how long a final that failed is tried again; from the fourth try on, as a new message. */
const FINAL_RETRIES_MS = [1_000, 5_000, 15_000, 30_000, 60_000];
const EDIT_ATTEMPTS = 3;
/** A Cancel button is made once and kept this long (a codec may let old buttons expire). */
const CANCEL_BUTTON_KEPT_MS = 10 * 60_000;

/**
 * One job's progress message: a subscriber of the relay that never blocks it (events only
 * update the state), with at most one edit waiting, rendered from the latest state when the
 * budget lets it start. Once the job ends, nothing but its final message is sent, and that one
 * is retried, then sent anew, until it is shown.
 */
export class JobMessage {
  readonly id: string;
  readonly finished: Promise<JobMessageOutcome>;
  private state: JobState;
  private ref: MessageRef | undefined;
  private shown: { text: string; preview: unknown } | undefined;
  private subscription: Pick<Subscription, 'unsubscribe'> | undefined;
  private cancelRow: { rows: ButtonRow[]; madeAt: number } | undefined;
  /** An edit waits in the outbox and has not started: it will show the latest state anyway. */
  private progressWaiting = false;
  private finishing = false;
  private settled = false;
  private resolveFinished!: (outcome: JobMessageOutcome) => void;
  private readonly lane: string;

  constructor(
    private readonly handle: GenerationHandle,
    private readonly options: FollowOptions,
    private readonly context: JobMessageContext,
  ) {
    this.id = handle.id;
    this.lane = `job:${handle.id}`;
    this.ref = options.message;
    this.state = jobStateOf(handle.record());
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    this.subscription = context.relay.subscribe(
      {
        send: (event) => this.onEvent(event),
        close: (reason) =>
          this.context.logger.debug('job message unsubscribed', {
            job: this.id,
            reason: reason.message,
          }),
      },
      { generation: handle.id, name: `chat:${context.adapter.platform}:${handle.id}` },
    );
    // Events that came before the subscription are in `done`: the final is never missed.
    void handle.done.then((record) => this.onDone(record));
    if (isFinished(this.state)) void this.finish(this.state);
    else this.scheduleProgress();
  }

  /** The job as the message last knew it. */
  current(): JobState {
    return this.state;
  }

  /** The message that shows it (once sent). */
  message(): MessageRef | undefined {
    return this.ref;
  }

  /** The job ended and its final is on its way: not shown yet, not given up on. */
  get ending(): boolean {
    return this.finishing && !this.settled;
  }

  private onEvent(event: RelayEvent): void {
    const next = applyRelayEvent(this.state, event, this.context.clock.now());
    if (next === this.state) return;
    this.state = next;
    if (isFinished(next)) void this.finish(next);
    else this.scheduleProgress();
  }

  private onDone(record: GenerationRecord): void {
    const next = finishWith(this.state, record, this.context.clock.now());
    if (next === this.state) return;
    this.state = next;
    void this.finish(next);
  }

  private scheduleProgress(): void {
    // Fifty events a second meet one edit a second: the one waiting renders the latest state
    // when it starts, so a new event asks for nothing more until it has.
    if (this.finishing || this.progressWaiting) return;
    this.progressWaiting = true;
    void this.context.outbox.submit({
      lane: this.lane,
      coalesceKey: this.lane,
      priority: 'progress',
      reapply: true,
      scope: () => ({ target: this.options.target, messageId: this.ref?.messageId }),
      skip: () => {
        const nothingToDo = this.finishing || this.sameAsShown(this.progressMessage());
        if (nothingToDo) this.progressWaiting = false;
        return nothingToDo;
      },
      run: () => {
        this.progressWaiting = false;
        return this.showProgress();
      },
    });
  }

  private progressMessage(): OutgoingMessage & { preview: unknown } {
    const view = buildProgressView(this.state, {
      now: this.context.clock.now(),
      wording: this.context.wording,
      ...(this.options.title !== undefined ? { title: this.options.title } : {}),
      ...(this.options.requester !== undefined ? { requester: this.options.requester } : {}),
    });
    const preview = this.context.previews ? view.preview : undefined;
    return {
      text: renderProgress(view, this.context.adapter.rules.markup),
      preview,
      ...(preview ? { files: [previewFile(preview)] } : {}),
      buttons: this.cancelButton(),
    };
  }

  /** While it runs, a progress message offers to cancel it (signed once, not per render). */
  private cancelButton(): ButtonRow[] {
    const codec = this.context.codec;
    if (!codec) return [];
    const now = this.context.clock.now();
    if (!this.cancelRow || now - this.cancelRow.madeAt > CANCEL_BUTTON_KEPT_MS) {
      const token = codec.encode({ action: 'cancel', jobId: this.id });
      const label = this.context.wording.buttons.cancel;
      this.cancelRow = { rows: [[{ label, token, style: 'danger' }]], madeAt: now };
    }
    return this.cancelRow.rows;
  }

  private sameAsShown(message: { text: string; preview: unknown }): boolean {
    return this.shown?.text === message.text && this.shown.preview === message.preview;
  }

  /** Runs when the outbox lets it: shows the state as it is then, not as it was when asked. */
  private async showProgress(): Promise<void> {
    const message = this.progressMessage();
    const { preview, ...content } = message;
    if (!this.ref) {
      this.moveTo(await this.context.adapter.send(this.options.target, this.withReply(content)));
    } else if (preview !== undefined && preview !== this.shown?.preview) {
      this.moveTo(await this.context.adapter.editMedia(this.ref, content));
    } else {
      await this.context.adapter.edit(this.ref, {
        text: content.text,
        ...(content.buttons ? { buttons: content.buttons } : {}),
      });
    }
    this.shown = { text: message.text, preview };
  }

  /** The message that shows the job now; a new one is told to the journal (a restart edits it). */
  private moveTo(ref: MessageRef): void {
    const before = this.ref;
    this.ref = ref;
    if (before?.messageId === ref.messageId && before.target.chatId === ref.target.chatId) return;
    this.tell((journal) => journal.moved(this.id, ref));
  }

  private tell(write: (journal: DeliveryJournal) => void | Promise<void>): void {
    const journal = this.context.journal;
    if (!journal) return;
    const failed = (error: unknown) =>
      this.context.logger.warn('what a restart needs of a job could not be kept', {
        job: this.id,
        error: String(error),
      });
    try {
      void Promise.resolve(write(journal)).catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  private settle(outcome: JobMessageOutcome, final: FinalOutcome | undefined): void {
    this.settled = true;
    if (final) this.tell((journal) => journal.ended(this.id, final));
    this.resolveFinished(outcome);
  }

  private withReply(content: OutgoingMessage): OutgoingMessage {
    return this.options.replyTo ? { ...content, replyTo: this.options.replyTo } : content;
  }

  private async finish(state: JobState): Promise<void> {
    if (this.finishing) return;
    this.finishing = true;
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.context.outbox.cancel(this.lane);
    if (state.status === 'failed') {
      const { log } = describeFailure(chatFailureOf(state.error), this.context.wording);
      this.context.logger[log.level](log.message, { job: this.id, ...log.fields });
    }
    const final = await this.buildFinal(state);
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.context.outbox.submit({
        lane: this.lane,
        coalesceKey: this.lane,
        priority: 'final',
        reapply: true,
        scope: () => ({ target: this.options.target, messageId: this.ref?.messageId }),
        run: () => this.showFinal(final, attempt >= EDIT_ATTEMPTS),
      });
      if (outcome.status === 'done' && this.ref) {
        this.settle(
          { delivered: true, message: this.ref, state },
          { shown: true, message: this.ref },
        );
        return;
      }
      if (outcome.status === 'closed' || attempt >= FINAL_RETRIES_MS.length) {
        const error =
          outcome.status === 'failed' ? outcome.error : new Error(`final ${outcome.status}`);
        this.context.logger.error('the final message of a job could not be shown', {
          job: this.id,
          error: String(error),
        });
        // Closed: the bot stops; the final stays owed and a restart shows it.
        this.settle(
          { delivered: false, error, state },
          outcome.status === 'closed' ? undefined : { shown: false },
        );
        return;
      }
      this.context.logger.warn('showing a final message failed; trying again', {
        job: this.id,
        attempt,
        error: outcome.status === 'failed' ? String(outcome.error) : outcome.status,
      });
      await new Promise<void>((resolve) =>
        this.context.clock.setTimer(resolve, FINAL_RETRIES_MS[attempt]!),
      );
    }
  }

  /**
   * The message edited in place; the last try, or one never sent, is a new message. A final
   * without files goes through `editMedia` too: the preview the message may show goes with it
   * (how is the adapter's: Discord removes it, Telegram puts its neutral picture back), so a
   * cancelled or failed job never looks like a half-made result.
   */
  private async showFinal(final: OutgoingMessage, asNewMessage: boolean): Promise<void> {
    const adapter = this.context.adapter;
    if (!this.ref || asNewMessage) {
      this.ref = await adapter.send(this.options.target, this.withReply(final));
    } else {
      this.ref = await adapter.editMedia(this.ref, {
        ...final,
        files: final.files ?? [],
        buttons: final.buttons ?? [],
      });
    }
  }

  private async buildFinal(state: JobState): Promise<OutgoingMessage> {
    const record = { ...this.handle.record(), ...recordOf(state) };
    const builder = this.options.finalMessage ?? this.context.finalMessage;
    if (builder) {
      try {
        return await builder(record, state);
      } catch (error) {
        const failure = describeFailure(chatFailureOf(error), this.context.wording);
        this.context.logger.error('the result message could not be built', {
          job: this.id,
          ...failure.log.fields,
        });
        return { text: failure.text, buttons: [] };
      }
    }
    const view = buildProgressView(state, {
      now: this.context.clock.now(),
      wording: this.context.wording,
      ...(this.options.title !== undefined ? { title: this.options.title } : {}),
      ...(this.options.requester !== undefined ? { requester: this.options.requester } : {}),
    });
    return { text: renderProgress(view, this.context.adapter.rules.markup), buttons: [] };
  }
}

function previewFile(preview: NonNullable<ProgressView['preview']>): OutgoingFile {
  const extension = preview.mime.split('/')[1] ?? 'jpg';
  return {
    data: preview.data,
    mime: preview.mime,
    filename: `preview.${extension}`,
    kind: 'image',
  };
}

/** The parts of a record a finished state knows (the handle's may lag behind the events). */
function recordOf(state: JobState): Partial<GenerationRecord> {
  const record: Partial<GenerationRecord> = { status: state.status };
  if (state.outputs) record.outputs = [...state.outputs];
  if (state.error) record.error = state.error;
  if (state.finishedAt !== undefined) record.finishedAt = state.finishedAt;
  return record;
}
