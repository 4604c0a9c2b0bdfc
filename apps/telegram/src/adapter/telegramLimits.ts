import type { EditBudgets, TextRules } from '@comfyrelay/chat';

/** Telegram's text rules for messages sent with `parse_mode: 'HTML'`. */
export const TELEGRAM_RULES: TextRules = {
  markup: 'telegram-html',
  maxTextLength: 4096,
  maxCaptionLength: 1024,
  // Telegram takes 8 a row; 5 keeps U1…U4 and their labels readable on a phone.
  maxButtonsPerRow: 5,
  maxButtonRows: 8,
  maxButtonDataBytes: 64,
};

/**
 * Telegram's flood limits as its FAQ gives them: about one message a second in a chat, twenty a
 * minute in a group, thirty a second in all; edits count like messages.
 */
export const TELEGRAM_BUDGETS: EditBudgets = {
  perChat: { count: 1, perMs: 1000 },
  perGroup: { count: 20, perMs: 60_000 },
  global: { count: 30, perMs: 1000 },
};

/** Telegram's longest callback answer. */
export const MAX_CALLBACK_ANSWER = 200;
