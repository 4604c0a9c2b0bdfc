import { terminalStatuses, type ComfyRelay, type GenerationRecord } from '@comfyrelay/core';
import type { ActionCodec } from '../actions/ActionCodec.js';
import type { OutgoingMessage } from '../adapter/ChatAdapter.js';
import type { CommandCatalog } from '../catalog/buildCommandCatalog.js';
import type { BuiltinCommandName, CommandSpec } from '../catalog/CommandSpec.js';
import { bold, code, escapeText, type Markup } from '../text/Markup.js';
import { suggestChoices } from '../catalog/suggestChoices.js';
import { cutOnWord } from '../text/cutOnWord.js';
import type { Wording } from '../wording/Wording.js';
import type { AccessPolicy } from './AccessPolicy.js';
import type { Reply, Suggestion } from './ChatService.js';
import type { Requester } from './Requester.js';
import type { SettingsStore } from './SettingsStore.js';
import { scanArguments } from '../arguments/scanArguments.js';

export interface BuiltinContext {
  relay: ComfyRelay;
  catalog: CommandCatalog;
  codec: ActionCodec;
  access: AccessPolicy;
  settings: SettingsStore;
  wording: Wording;
  markup: Markup;
  resultMessage(record: GenerationRecord): Promise<OutgoingMessage>;
}

/** How many of a user's jobs `/queue` and `/show` look through. */
const RECENT = 50;
/** At most this many suggestions (Discord's limit), each label at most this long. */
const MAX_SUGGESTIONS = 25;
const MAX_LABEL = 100;

/** The short name of a job a user reads and types back (`/show 3f2a9c1e`). */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** chat's own commands: queue, cancel, status, settings, show, help. */
export class BuiltinCommands {
  constructor(private readonly context: BuiltinContext) {}

  async run(
    name: BuiltinCommandName,
    text: string,
    options: Readonly<Record<string, unknown>>,
    requester: Requester,
  ): Promise<Reply> {
    const argument = (key: string) =>
      typeof options[key] === 'string' ? String(options[key]).trim() : text.trim();
    switch (name) {
      case 'queue':
        return this.reply(await this.queue(requester));
      case 'cancel':
        return this.sentence(await this.cancel(argument('job'), requester));
      case 'status':
        return this.reply(this.status());
      case 'settings':
        return this.reply(await this.settingsOf(argument('values'), requester));
      case 'show':
        return this.show(argument('job'), requester);
      case 'help':
        return this.reply(this.help(argument('command')));
    }
  }

  /**
   * Suggestions for a built-in command's option as the user types: for a job (`/cancel`,
   * `/show`) their own jobs, in flight or recent (anyone's for an admin), labelled with the
   * short id, the prompt and where each stands; for `/help` the commands.
   */
  async suggest(
    name: BuiltinCommandName,
    option: string,
    typed: string,
    requester: Requester | undefined,
  ): Promise<Suggestion[]> {
    const { relay, access, catalog } = this.context;
    const wanted = typed.trim().toLowerCase();
    if (name === 'help' && option === 'command')
      return suggestChoices(
        catalog.commands.map((command) => command.name),
        wanted.replace(/^\//, ''),
        MAX_SUGGESTIONS,
      ).map((command) => ({
        label: cutOnWord(`/${command} — ${catalog.command(command)?.description ?? ''}`, MAX_LABEL),
        value: command,
      }));
    if ((name !== 'cancel' && name !== 'show') || option !== 'job' || !requester) return [];
    const admin = access.isAdmin(requester);
    const mine = (record: GenerationRecord) => admin || isRequesters(record, requester);
    const active = relay
      .active()
      .filter(mine)
      .sort((a, b) => b.createdAt - a.createdAt);
    const records =
      name === 'cancel'
        ? active
        : uniqueById([
            ...active,
            ...(await relay
              .history({
                limit: MAX_SUGGESTIONS,
                ...(admin
                  ? {}
                  : { requester: { platform: requester.platform, userId: requester.userId } }),
              })
              .catch(() => [])),
          ]);
    return records
      .map((record) => ({ label: this.jobLabel(record), value: record.id }))
      .filter(
        (suggestion) =>
          suggestion.value.startsWith(wanted) || suggestion.label.toLowerCase().includes(wanted),
      )
      .slice(0, MAX_SUGGESTIONS);
  }

  private reply(text: string, isPrivate = true): Reply {
    return { message: { text }, private: isPrivate };
  }

  /** A sentence of the wording as a reply in the platform's markup. */
  private sentence(text: string): Reply {
    return this.reply(escapeText(text, this.context.markup));
  }

  /** Your jobs in flight, and how busy the queue is. */
  private async queue(requester: Requester): Promise<string> {
    const { relay, wording, markup } = this.context;
    const active = relay.active();
    const mine = active.filter((record) => isRequesters(record, requester));
    const waiting = active.filter((record) => record.status !== 'running').length;
    const running = active.length - waiting;
    const lines = [bold(escapeText(wording.queueSummary(waiting, running), markup), markup)];
    if (mine.length === 0) lines.push(escapeText(wording.noJobsOfYours, markup));
    for (const record of mine) lines.push(this.jobLine(record));
    return lines.join('\n');
  }

  private jobLine(record: GenerationRecord): string {
    const { markup } = this.context;
    return `${code(shortId(record.id), markup)} ${escapeText(`${cut(promptOf(record), 40)} — ${this.whereItStands(record)}`, markup)}`;
  }

  /** `3f2a9c1e · a red fox in the snow — 62 %`: a job as a plain label (a suggestion). */
  private jobLabel(record: GenerationRecord): string {
    const prompt = promptOf(record) || (record.workflow ?? '');
    return cutOnWord(
      `${shortId(record.id)} · ${cut(prompt, 60)} — ${this.whereItStands(record)}`,
      MAX_LABEL,
    );
  }

  private whereItStands(record: GenerationRecord): string {
    const { wording } = this.context;
    return record.status === 'running'
      ? wording.percent(record.progress?.fraction ?? 0)
      : record.status === 'queued' || record.status === 'submitted'
        ? wording.queued(record.ahead ?? 0)
        : wording.statusWord(record.status);
  }

  /** Cancel the given job (or your latest one in flight): its requester, or an admin. */
  private async cancel(wanted: string, requester: Requester): Promise<string> {
    const { relay, access, wording } = this.context;
    const active = relay.active();
    const record = wanted
      ? active.find((candidate) => candidate.id.startsWith(wanted))
      : [...active].reverse().find((candidate) => isRequesters(candidate, requester));
    if (!record) return wanted ? wording.noSuchJob(wanted) : wording.noJobsOfYours;
    if (!access.mayManage(requester, record.origin)) return wording.notYours;
    const cancelled = await relay.cancel(record.id);
    return cancelled
      ? wording.cancelledJob(shortId(record.id))
      : wording.couldNotCancel(shortId(record.id));
  }

  private status(): string {
    const { relay, wording, markup } = this.context;
    return relay
      .backends()
      .map((backend) =>
        escapeText(
          wording.backendLine(backend.id, backend.state, backend.load, backend.tracked),
          markup,
        ),
      )
      .join('\n');
  }

  /**
   * `/settings`: yours; `/settings --ar 16:9 --steps 30`: saved as your defaults for every
   * workflow that has those parameters; `/settings --reset`: cleared.
   */
  private async settingsOf(text: string, requester: Requester): Promise<string> {
    const { settings, relay, wording, markup } = this.context;
    const { platform, userId } = requester;
    if (text === '') return this.describeSettings(await settings.getSettings(platform, userId));
    const known = new Map<string, string>();
    for (const definition of relay.workflows())
      for (const spec of definition.parameters) {
        known.set(spec.name, spec.name);
        for (const alias of spec.aliases ?? []) known.set(alias, spec.name);
      }
    const scanned = scanArguments(text);
    const values: Record<string, unknown> = {};
    for (const { name: flag, value } of scanned.flags) {
      if (flag === 'reset') {
        const current = await settings.getSettings(platform, userId);
        for (const name of Object.keys(current)) values[name] = undefined;
        continue;
      }
      const name = known.get(flag);
      if (!name || name === 'prompt' || name === 'image')
        return escapeText(wording.notASetting(flag), markup);
      values[name] = value === '' ? 'true' : value;
    }
    return this.describeSettings(await settings.saveSettings(platform, userId, values));
  }

  private describeSettings(values: Record<string, unknown>): string {
    const { wording, markup } = this.context;
    const entries = Object.entries(values);
    if (entries.length === 0) return escapeText(wording.noSettings, markup);
    return [
      bold(escapeText(wording.yourSettings, markup), markup),
      ...entries.map(
        ([name, value]) => `${code(`--${name}`, markup)} ${escapeText(String(value), markup)}`,
      ),
    ].join('\n');
  }

  /** Any job of yours (or any, for an admin) brought back, with fresh buttons. */
  private async show(wanted: string, requester: Requester): Promise<Reply> {
    const { relay, wording, access } = this.context;
    if (!wanted) return this.sentence(wording.showWhich);
    const scope = access.isAdmin(requester)
      ? { limit: RECENT * 4 }
      : { limit: RECENT, requester: { platform: requester.platform, userId: requester.userId } };
    const record =
      (await relay.record(wanted)) ??
      (await relay.history(scope)).find((candidate) => candidate.id.startsWith(wanted));
    if (!record) return this.sentence(wording.noSuchJob(wanted));
    if (!terminalStatuses.has(record.status)) return this.reply(this.jobLine(record));
    return { message: await this.context.resultMessage(record), private: false };
  }

  /** Every command, or one command's options with their limits and choices. */
  private help(wanted: string): string {
    const { catalog, wording, markup } = this.context;
    const command = wanted ? catalog.command(wanted) : undefined;
    if (wanted && !command) return escapeText(wording.unknownCommand(wanted), markup);
    if (command) return describeCommand(command, markup);
    return catalog.commands
      .map(
        (candidate) =>
          `${code(`/${candidate.name}`, markup)} ${escapeText(candidate.description, markup)}`,
      )
      .join('\n');
  }
}

function describeCommand(command: CommandSpec, markup: Markup): string {
  const lines = [`${bold(`/${command.name}`, markup)} ${escapeText(command.description, markup)}`];
  for (const option of command.options) {
    const rules = [
      option.required ? 'required' : undefined,
      option.min !== undefined || option.max !== undefined
        ? `${option.min ?? '…'} to ${option.max ?? '…'}`
        : undefined,
      option.choices ? `one of ${option.choices.join(', ')}` : undefined,
      option.default !== undefined && option.default !== ''
        ? `default ${String(option.default)}`
        : undefined,
      option.aliases.length > 0 ? `also --${option.aliases.join(', --')}` : undefined,
    ].filter((rule) => rule !== undefined);
    lines.push(
      `${code(`--${option.name}`, markup)} ${escapeText(`${option.description}${rules.length > 0 ? ` (${rules.join('; ')})` : ''}`, markup)}`,
    );
  }
  return lines.join('\n');
}

function isRequesters(record: GenerationRecord, requester: Requester): boolean {
  return (
    record.origin?.userId === requester.userId && record.origin.platform === requester.platform
  );
}

function promptOf(record: GenerationRecord): string {
  const prompt = record.parameters?.['prompt'];
  return typeof prompt === 'string' ? prompt : '';
}

function uniqueById(records: GenerationRecord[]): GenerationRecord[] {
  const seen = new Set<string>();
  return records.filter((record) => !seen.has(record.id) && seen.add(record.id));
}

function cut(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
