import {
  ADMIN_ROLE,
  silentLogger,
  type ComfyRelay,
  type GenerationHandle,
  type GenerationOrigin,
  type GenerationRecord,
  type ImageInput,
  type Logger,
  type RelayEvent,
  type Subscription,
  type WorkflowDefinition,
} from '@comfyrelay/core';
import type { OutboxOutcome, RateLimitNotice } from '../adapter/ChatOutbox.js';
import { ActionCodec } from '../actions/ActionCodec.js';
import type { ActionToken } from '../actions/ActionToken.js';
import type {
  ButtonPress,
  ChatAdapter,
  ChatTarget,
  MessageRef,
  OutgoingMessage,
} from '../adapter/ChatAdapter.js';
import { parseTextArguments } from '../arguments/parseTextArguments.js';
import { buildCommandCatalog, type CommandCatalog } from '../catalog/buildCommandCatalog.js';
import type { WorkflowCommand } from '../catalog/CommandSpec.js';
import { commandInput } from '../catalog/commandInput.js';
import { suggestChoices } from '../catalog/suggestChoices.js';
import { chatFailureOf } from '../failures/chatFailureOf.js';
import { describeFailure } from '../failures/describeFailure.js';
import { buildResultMessage } from '../results/buildResultMessage.js';
import { pickImage } from '../results/pickImage.js';
import { parametersText } from '../results/resultCaption.js';
import { escapeText } from '../text/Markup.js';
import { MessageUpdater } from '../updater/MessageUpdater.js';
import { englishWording } from '../wording/englishWording.js';
import type { Wording } from '../wording/Wording.js';
import { AccessPolicy, type AccessOptions } from './AccessPolicy.js';
import { BuiltinCommands } from './BuiltinCommands.js';
import { DeliveryNotes } from './DeliveryNotes.js';
import { hasDeliveryNotes, progressMessageOf, withProgressMessage } from './messageRefs.js';
import type { Requester } from './Requester.js';
import { InMemorySettingsStore, type SettingsStore } from './SettingsStore.js';

/** A command as a user gave it, and how to answer them. */
export interface Invocation {
  /** The command name as typed (`imagine`, `/imagine@my_bot`). */
  command: string;
  /** Text arguments (Telegram): `a red fox --ar 16:9 --steps 30`. */
  text?: string;
  /** Typed options by option name (Discord). */
  options?: Readonly<Record<string, unknown>>;
  /** Pictures given with the command (an attachment option, a photo with its caption), by option name. */
  pictures?: Readonly<Record<string, ImageInput>>;
  requester: Requester;
  target: ChatTarget;
  /** The user's own message, to reply to (Telegram). */
  replyTo?: MessageRef;
  /**
   * Opens the message that will show the job (Discord: the deferred reply; Telegram: a reply):
   * called once the request is accepted, before it is queued.
   */
  open(): Promise<MessageRef>;
}

/** What to answer at once: a sentence (an error, a list …), best shown only to the user. */
export interface Reply {
  message: OutgoingMessage;
  /** Only the user should see it (Discord: ephemeral; Telegram: a reply). */
  private: boolean;
}

/** An autocomplete suggestion: what the user reads, and what the option then holds. */
export interface Suggestion {
  label: string;
  value: string;
}

export interface ChatServiceOptions {
  access?: AccessOptions;
  /** Signs button tokens; keep it across restarts or old buttons expire. */
  secret?: string;
  /**
   * Per-user settings, and the delivery notes a restart reads back (where each job is shown
   * now, whether its final was): give the platform's durable store (`AppContext.settings`).
   */
  settings?: SettingsStore;
  wording?: Wording;
  logger?: Logger;
  /** Show ComfyUI's previews in progress messages (default true). */
  previews?: boolean;
  /** The largest picture a user may give a workflow (default 20 MB): the one place for it. */
  maxPictureBytes?: number;
  /**
   * A platform call that has not settled by then counts as failed and frees its lane (the
   * outbox's, default 15 s): give uploads of large results the time they need.
   */
  callTimeoutMs?: number;
  /**
   * Told of every 429 the platform answered (the outbox waits it out): give the platform's
   * metrics, `AppContext.metrics.rateLimited`, so the operator sees them.
   */
  onRateLimited?: (notice: RateLimitNotice) => void;
}

const DEFAULT_MAX_PICTURE_BYTES = 20 * 1024 * 1024;
/** After a restart, finals still owed are shown for jobs that finished this recently… */
const OWED_WITHIN_MS = 24 * 60 * 60 * 1000;
/** …among this many of the latest finished ones. */
const OWED_AMONG = 200;

/**
 * Everything a chat user sees, for one platform: commands from the workflows, jobs run on behalf
 * of the person who asked (their access, their settings, core's limits and fair queue), one
 * message per job showing its place, progress and result, buttons for what to do next, and
 * errors in words. The platform's app turns its events into calls here and implements the
 * {@link ChatAdapter}; it holds no logic of its own.
 */
export class ChatService {
  readonly catalog: CommandCatalog;
  readonly codec: ActionCodec;
  readonly updater: MessageUpdater;
  readonly access: AccessPolicy;
  /** The largest picture a user may give a workflow: apps check it before downloading. */
  readonly maxPictureBytes: number;
  private readonly settings: SettingsStore;
  private readonly notes: DeliveryNotes;
  private readonly wording: Wording;
  private readonly logger: Logger;
  private readonly builtins: BuiltinCommands;
  private subscription: Subscription | undefined;

  constructor(
    private readonly relay: ComfyRelay,
    private readonly adapter: ChatAdapter,
    options: ChatServiceOptions = {},
  ) {
    this.wording = options.wording ?? englishWording;
    this.logger = options.logger ?? silentLogger;
    this.access = new AccessPolicy(options.access);
    this.settings = options.settings ?? new InMemorySettingsStore();
    this.notes = new DeliveryNotes(this.settings, adapter.platform);
    this.maxPictureBytes = options.maxPictureBytes ?? DEFAULT_MAX_PICTURE_BYTES;
    this.catalog = buildCommandCatalog(relay.workflows());
    this.codec = new ActionCodec({
      ...(options.secret !== undefined ? { secret: options.secret } : {}),
      wording: this.wording,
    });
    this.updater = new MessageUpdater(relay, adapter, {
      codec: this.codec,
      wording: this.wording,
      logger: this.logger,
      ...(options.previews !== undefined ? { previews: options.previews } : {}),
      ...(options.callTimeoutMs !== undefined ? { callTimeoutMs: options.callTimeoutMs } : {}),
      ...(options.onRateLimited ? { onRateLimited: options.onRateLimited } : {}),
      finalMessage: (record) => this.resultMessage(record),
      journal: this.notes,
    });
    this.builtins = new BuiltinCommands({
      relay,
      catalog: this.catalog,
      codec: this.codec,
      access: this.access,
      settings: this.settings,
      wording: this.wording,
      markup: adapter.rules.markup,
      resultMessage: (record) => this.resultMessage(record),
    });
  }

  /**
   * Follow again the jobs a restart took up: their messages are edited where they are now. Jobs
   * that finished while their final was still on its way when the bot stopped get it shown.
   * Resolves once every one of them is followed (their messages update on their own).
   */
  async start(): Promise<void> {
    this.subscription ??= this.relay.subscribe(
      { send: (event) => void this.onRelayEvent(event) },
      { name: `chat:${this.adapter.platform}:resumed`, coalesce: false },
    );
    await Promise.all(this.relay.active().map((record) => this.rebind(record)));
    await this.showOwedFinals();
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  /**
   * For a graceful stop: resolves once the finals on their way are shown, or `timeoutMs` passed
   * (see `MessageUpdater.settle`). Those still owed after it are shown at the next start.
   */
  settle(timeoutMs: number): Promise<void> {
    return this.updater.settle(timeoutMs);
  }

  /** A picture over {@link maxPictureBytes}, refused in words (privately). */
  pictureTooLarge(name: string | undefined, bytes: number): Reply {
    return this.private(this.wording.pictureTooLarge(name, bytes, this.maxPictureBytes));
  }

  /** A picture that could not be downloaded or read, in words (privately). */
  pictureUnreadable(name?: string): Reply {
    return this.private(this.wording.pictureUnreadable(name));
  }

  /**
   * Run a command. Resolves with what to answer at once when there is something to say (an
   * error, a list); a job is answered through the message `open()` gives, then edited in place.
   */
  async run(invocation: Invocation): Promise<Reply | undefined> {
    const { requester } = invocation;
    if (!this.access.answersIn(requester.chatId) && !this.access.isAdmin(requester))
      return this.private(this.wording.notHere);
    const command = this.catalog.command(invocation.command);
    if (!command) return this.private(this.wording.unknownCommand(invocation.command));
    if (command.kind === 'builtin')
      return this.builtins.run(
        command.builtin,
        invocation.text ?? '',
        invocation.options ?? {},
        requester,
      );
    if (!this.access.mayGenerate(requester)) return this.private(this.wording.notAllowed);
    for (const picture of Object.values(invocation.pictures ?? {}))
      if (picture.data.length > this.maxPictureBytes)
        return this.pictureTooLarge(picture.filename, picture.data.length);
    try {
      const input = await this.inputOf(command, invocation);
      await this.relay.validate(command.workflow, input); // nothing opened for a refused request
      const message = await invocation.open();
      let handle: GenerationHandle;
      try {
        handle = await this.relay.generate(command.workflow, input, {
          origin: withProgressMessage(this.originOf(requester), message),
        });
      } catch (error) {
        const edited = await this.updater.outbox.edit(
          message,
          { text: this.escaped(this.sentenceFor(error)), buttons: [] },
          'final',
        );
        if (edited.status !== 'done')
          this.logger.warn('a refused request could not be said in its message', {
            message: message.messageId,
            outcome: edited.status,
          });
        return undefined;
      }
      this.updater.follow(handle, {
        target: invocation.target,
        message,
        requester: requester.displayName,
      });
      return undefined;
    } catch (error) {
      return this.private(this.sentenceFor(error));
    }
  }

  /**
   * Suggestions while a user types an option marked `autocomplete`: a workflow's live or long
   * lists of choices; for `/cancel` and `/show` the `requester`'s jobs (anyone's for an admin)
   * with a readable label; for `/help` the commands.
   */
  async autocomplete(
    command: string,
    option: string,
    typed: string,
    requester?: Requester,
  ): Promise<Suggestion[]> {
    const spec = this.catalog.command(command);
    if (spec?.kind === 'builtin')
      return this.builtins.suggest(spec.builtin, option, typed, requester);
    if (spec?.kind !== 'workflow') return [];
    const parameter = spec.options.find((candidate) => candidate.name === option)?.parameter;
    if (!parameter) return [];
    const choices = await this.relay.choicesFor(spec.workflow, parameter).catch(() => undefined);
    return suggestChoices(choices ?? [], typed).map((choice) => ({ label: choice, value: choice }));
  }

  /** A button of ours was pressed: answered at once, then acted on. */
  async press(press: ButtonPress, requester: Requester, target: ChatTarget): Promise<void> {
    const decoded = this.codec.decode(press.token);
    if (!decoded.ok) {
      await this.answer(press, decoded.message, true);
      return;
    }
    const token = decoded.token;
    const record = await this.relay.record(token.jobId);
    if (!record) {
      await this.answer(press, this.wording.buttonExpired('show'), true);
      return;
    }
    try {
      await this.act(token, record, press, requester, target);
    } catch (error) {
      await this.answer(press, this.sentenceFor(error), true);
    }
  }

  private async act(
    token: ActionToken,
    record: GenerationRecord,
    press: ButtonPress,
    requester: Requester,
    target: ChatTarget,
  ): Promise<void> {
    switch (token.action) {
      case 'cancel': {
        if (!this.access.mayManage(requester, record.origin))
          return this.answer(press, this.wording.notYours, true);
        await this.answer(press, this.wording.cancelling, false);
        await this.relay.cancel(record.id);
        return;
      }
      case 'delete': {
        if (!this.access.mayManage(requester, record.origin))
          return this.answer(press, this.wording.notYours, true);
        await this.answer(press, undefined, false);
        if (press.message) await this.done(this.updater.outbox.delete(press.message));
        return;
      }
      case 'params': {
        // An alert shows no formatting: the parameters as plain text.
        const text = parametersText(record.parameters ?? {}, 'plain');
        return this.answer(press, text.slice(0, 190), true);
      }
      case 'pick': {
        if (!this.access.mayFollowUp(requester, record.origin))
          return this.answer(press, this.wording.notYours, true);
        await this.answer(press, undefined, false);
        return this.sendPicked(record, token.index, target, press.message);
      }
      default: {
        if (!this.access.mayFollowUp(requester, record.origin))
          return this.answer(press, this.wording.notYours, true);
        const actionId = this.workflowActionOf(token, record);
        if (!actionId) return this.answer(press, this.wording.buttonExpired('show'), true);
        await this.answer(press, undefined, false);
        await this.followUp(record, actionId, token, requester, target, press.message);
      }
    }
  }

  /** Reroll, V-k, upscale, animate …: a new job attributed to whoever pressed, in the same chat. */
  private async followUp(
    record: GenerationRecord,
    actionId: string,
    token: ActionToken,
    requester: Requester,
    target: ChatTarget,
    from: MessageRef | undefined,
  ): Promise<void> {
    const message = await this.done(
      this.updater.outbox.send(target, {
        text: this.escaped(this.wording.sending),
        ...(from ? { replyTo: from } : {}),
      }),
    );
    try {
      const handle = await this.relay.runAction(record, actionId, {
        origin: withProgressMessage(this.originOf(requester), message),
        imageIndex: token.index,
        ...(token.action === 'vary-strong' || token.action === 'vary-subtle'
          ? { overrides: { denoise: token.action === 'vary-strong' ? 0.85 : 0.35 } }
          : {}),
      });
      this.updater.follow(handle, { target, message, requester: requester.displayName });
    } catch (error) {
      await this.done(
        this.updater.outbox.edit(
          message,
          { text: this.escaped(this.sentenceFor(error)), buttons: [] },
          'final',
        ),
      );
    }
  }

  /** U-k: that image on its own, from the stored result: no GPU. */
  private async sendPicked(
    record: GenerationRecord,
    index: number,
    target: ChatTarget,
    from: MessageRef | undefined,
  ): Promise<void> {
    const images = (record.outputs ?? []).filter((output) => output.kind === 'image');
    const originals = await Promise.all(images.map((output) => this.relay.readOutput(output)));
    const data = await pickImage(originals, index);
    await this.done(
      this.updater.outbox.send(target, {
        text: this.escaped(this.wording.picked(index)),
        files: [
          { data, mime: 'image/png', filename: `comfyrelay-${index + 1}.png`, kind: 'image' },
        ],
        buttons: [],
        ...(from ? { replyTo: from } : {}),
      }),
    );
  }

  /** The workflow action a button asks for, among those the result's workflow offers. */
  private workflowActionOf(token: ActionToken, record: GenerationRecord): string | undefined {
    const actions = this.definitionOf(record)?.actions ?? [];
    const has = (id: string) => actions.some((action) => action.id === id);
    switch (token.action) {
      case 'reroll':
        return has('reroll') ? 'reroll' : undefined;
      case 'variation':
      case 'vary-strong':
      case 'vary-subtle':
        return has('variations') ? 'variations' : has(token.action) ? token.action : undefined;
      case 'upscale':
        return has('upscale') ? 'upscale' : undefined;
      case 'animate':
        return has('animate') ? 'animate' : undefined;
      case 'follow-up':
        return token.followUp !== undefined && has(token.followUp) ? token.followUp : undefined;
      default:
        return undefined;
    }
  }

  private async resultMessage(record: GenerationRecord): Promise<OutgoingMessage> {
    if (record.status !== 'succeeded') {
      const failure =
        record.status === 'cancelled' ? { code: 'cancelled' as const, message: '' } : record.error;
      return { text: describeFailure(chatFailureOf(failure ?? record), this.wording).text };
    }
    const target = progressMessageOf(record.origin)?.target ?? {
      chatId: record.origin?.chatId ?? '',
    };
    const definition = this.definitionOf(record);
    return buildResultMessage({
      readOutput: (output) => this.relay.readOutput(output),
      record,
      ...(definition ? { definition } : {}),
      rules: this.adapter.rules,
      uploadLimit: this.adapter.uploadLimit(target),
      codec: this.codec,
      ...(record.origin?.displayName !== undefined ? { requester: record.origin.displayName } : {}),
      wording: this.wording,
    });
  }

  private definitionOf(record: GenerationRecord): WorkflowDefinition | undefined {
    if (record.workflow === undefined) return undefined;
    return this.relay.workflows().find((definition) => definition.id === record.workflow);
  }

  /** The workflow input: the user's settings as defaults, then what they typed or chose. */
  private async inputOf(
    command: WorkflowCommand,
    invocation: Invocation,
  ): Promise<Record<string, unknown>> {
    const definition = this.relay.workflow(command.workflow);
    const typed = invocation.options
      ? commandInput(command, definition, invocation.options)
      : parseTextArguments(invocation.text ?? '', definition.parameters, {
          command: command.name,
          wording: this.wording,
        });
    const pictures: Record<string, unknown> = {};
    for (const [option, picture] of Object.entries(invocation.pictures ?? {})) {
      const parameter =
        command.options.find((candidate) => candidate.name === option)?.parameter ??
        definition.parameters.find((spec) => spec.type === 'image')?.name;
      if (parameter) pictures[parameter] = picture;
    }
    const { requester } = invocation;
    const saved = await this.settings.getSettings(requester.platform, requester.userId);
    const known = new Set(definition.parameters.map((spec) => spec.name));
    const defaults = Object.fromEntries(Object.entries(saved).filter(([name]) => known.has(name)));
    return { ...defaults, ...typed, ...pictures };
  }

  private originOf(requester: Requester): GenerationOrigin {
    const roles = [...(requester.roles ?? [])];
    if (this.access.isAdmin(requester)) roles.push(ADMIN_ROLE);
    return {
      platform: requester.platform,
      userId: requester.userId,
      displayName: requester.displayName,
      chatId: requester.chatId,
      roles,
      ...(requester.locale !== undefined ? { locale: requester.locale } : {}),
    };
  }

  private async onRelayEvent(event: RelayEvent): Promise<void> {
    if (event.type !== 'resumed') return;
    if (event.record.origin?.platform !== this.adapter.platform) return;
    await this.rebind(event.record);
  }

  /** A job of ours the relay took up after a restart: its message is edited where it is now. */
  private async rebind(record: GenerationRecord): Promise<void> {
    if (record.origin?.platform !== this.adapter.platform) return;
    const handle = this.relay.handle(record.id);
    if (!handle) return;
    await this.followAgain(record, handle);
  }

  /**
   * Jobs of ours that finished while their final was on its way (the bot stopped, or died, in
   * between): their final is shown where the job was shown. The notes say which were shown
   * already, so nothing is shown twice; jobs from before chat kept notes are left alone.
   */
  private async showOwedFinals(): Promise<void> {
    const since = Date.now() - OWED_WITHIN_MS;
    const finished = await this.relay
      .history({ finished: true, limit: OWED_AMONG })
      .catch((error: unknown) => {
        this.logger.warn('could not look for results still to show', { error: String(error) });
        return [];
      });
    const owed = finished.filter(
      (record) =>
        record.origin?.platform === this.adapter.platform &&
        hasDeliveryNotes(record.origin) &&
        (record.finishedAt ?? record.createdAt) >= since,
    );
    await Promise.all(owed.map((record) => this.followAgain(record, finishedHandle(record))));
  }

  private async followAgain(record: GenerationRecord, handle: GenerationHandle): Promise<void> {
    const note = await this.notes.lookup(record.id).catch((error: unknown) => {
      this.logger.warn('could not read what was noted of a job', {
        job: record.id,
        error: String(error),
      });
      return undefined;
    });
    if (note?.final) return;
    const message = note?.message ?? progressMessageOf(record.origin);
    if (!message) return;
    const requester = record.origin?.displayName;
    this.updater.follow(handle, {
      target: message.target,
      message,
      ...(requester !== undefined ? { requester } : {}),
    });
  }

  private sentenceFor(error: unknown): string {
    const described = describeFailure(chatFailureOf(error), this.wording);
    this.logger[described.log.level](described.log.message, described.log.fields);
    return described.text;
  }

  /** A sentence of the wording (plain text) in the platform's markup. */
  private escaped(text: string): string {
    return escapeText(text, this.adapter.rules.markup);
  }

  private private(text: string): Reply {
    return { message: { text: this.escaped(text) }, private: true };
  }

  /**
   * A platform call made through the outbox (budgets, 429 pauses, retries): its value, or its
   * failure thrown. A 429 never comes out of here: the outbox waits it out and tries again.
   */
  private async done<T>(call: Promise<OutboxOutcome<T>>): Promise<T> {
    const outcome = await call;
    if (outcome.status === 'done') return outcome.value;
    if (outcome.status === 'failed') throw outcome.error;
    throw new Error(`the platform call was not made (${outcome.status})`);
  }

  private answer(press: ButtonPress, text: string | undefined, alert: boolean): Promise<void> {
    return this.adapter
      .answerButton(press, { ...(text !== undefined ? { text } : {}), alert })
      .catch((error: unknown) =>
        this.logger.debug('could not answer a button', { error: String(error) }),
      );
  }
}

/** A finished job as a handle: its end is known, nothing more will come. */
function finishedHandle(record: GenerationRecord): GenerationHandle {
  return {
    id: record.id,
    promptId: record.promptId,
    workflow: record.workflow,
    record: () => record,
    done: Promise.resolve(record),
    cancel: () => Promise.resolve(record.status === 'cancelled'),
  };
}
