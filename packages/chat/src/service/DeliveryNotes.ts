import type { MessageRef } from '../adapter/ChatAdapter.js';
import type { DeliveryJournal, FinalOutcome } from '../updater/DeliveryJournal.js';
import { isMessageRef } from './messageRefs.js';
import type { SettingsStore } from './SettingsStore.js';

/** What chat noted of one job: where it is shown now, whether its final was (or never will be). */
export interface DeliveryNote {
  /** When it was last written (ms since the epoch): old notes are dropped. */
  at: number;
  /** Set once a platform replaced the job's message: the one that shows it now. */
  message?: MessageRef;
  final?: 'shown' | 'given-up';
}

/** Rows the notes are spread over: their number never grows, whatever the number of jobs. */
const SLOTS = 1024;
/** Notes older than this are dropped when their row is next written. */
export const NOTE_KEEP_MS = 2 * 24 * 60 * 60 * 1000;

/**
 * The {@link DeliveryJournal} a restart reads back, kept in the settings store (the platform's
 * SQLite file when it has a data directory) under a namespace of its own
 * (`chat-deliveries:<platform>`, never a platform a user has settings on). Notes are spread
 * over a fixed number of rows by job id, and a row drops its notes older than two days as it
 * is written, so what is kept stays small however long the bot runs.
 *
 * Writes merge one job's note into its row: two jobs sharing a row never undo each other.
 */
export class DeliveryNotes implements DeliveryJournal {
  private readonly namespace: string;

  constructor(
    private readonly store: SettingsStore,
    platform: string,
    private readonly now: () => number = Date.now,
  ) {
    this.namespace = `chat-deliveries:${platform}`;
  }

  moved(jobId: string, message: MessageRef): Promise<void> {
    return this.write(jobId, { message });
  }

  ended(jobId: string, outcome: FinalOutcome): Promise<void> {
    return this.write(jobId, {
      final: outcome.shown ? 'shown' : 'given-up',
      ...(outcome.shown ? { message: outcome.message } : {}),
    });
  }

  /** What was noted of a job (by this process or an earlier one), if anything. */
  async lookup(jobId: string): Promise<DeliveryNote | undefined> {
    const row = await this.store.getSettings(this.namespace, slotOf(jobId));
    return noteOf(row[jobId]);
  }

  private async write(jobId: string, change: Omit<DeliveryNote, 'at'>): Promise<void> {
    const slot = slotOf(jobId);
    const row = await this.store.getSettings(this.namespace, slot);
    const now = this.now();
    const values: Record<string, unknown> = {};
    for (const [id, value] of Object.entries(row))
      if (id !== jobId && (noteOf(value)?.at ?? 0) < now - NOTE_KEEP_MS) values[id] = undefined;
    values[jobId] = { ...noteOf(row[jobId]), ...change, at: now } satisfies DeliveryNote;
    await this.store.saveSettings(this.namespace, slot, values);
  }
}

/** FNV-1a of the id, as one of the rows. */
function slotOf(jobId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < jobId.length; i++) hash = Math.imul(hash ^ jobId.charCodeAt(i), 0x01000193);
  return String((hash >>> 0) % SLOTS);
}

/** A note read back from the store (plain JSON): checked, never trusted. */
function noteOf(value: unknown): DeliveryNote | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const raw = value as Record<string, unknown>;
  if (typeof raw['at'] !== 'number') return undefined;
  const note: DeliveryNote = { at: raw['at'] };
  if (isMessageRef(raw['message'])) note.message = raw['message'];
  if (raw['final'] === 'shown' || raw['final'] === 'given-up') note.final = raw['final'];
  return note;
}
