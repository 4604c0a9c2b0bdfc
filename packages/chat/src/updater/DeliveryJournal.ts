import type { MessageRef } from '../adapter/ChatAdapter.js';

/** How a job's final ended: shown (in `message`), or given up on after every retry. */
export type FinalOutcome = { shown: true; message: MessageRef } | { shown: false };

/**
 * What a restarted bot must know of the jobs it showed: the message that shows each one now (a
 * platform may have replaced it: Telegram cannot put a picture in a text message, Discord moves
 * a job whose interaction token grew old), and whether its final was shown. The updater tells
 * it as it happens; `ChatService` keeps it in the settings store (see `DeliveryNotes`).
 */
export interface DeliveryJournal {
  /** The job's message is now `message`. */
  moved(jobId: string, message: MessageRef): void | Promise<void>;
  /** The job's final was shown, or could not be for good (a stop is neither: it stays owed). */
  ended(jobId: string, outcome: FinalOutcome): void | Promise<void>;
}
