import type { EditBudgets, TextRules } from '@comfyrelay/chat';

/** Discord's message limits: 2000 characters, 5 rows of 5 buttons, `custom_id` ≤ 100. */
export const DISCORD_RULES: TextRules = {
  markup: 'discord',
  maxTextLength: 2000,
  maxCaptionLength: 2000,
  maxButtonsPerRow: 5,
  maxButtonRows: 5,
  maxButtonDataBytes: 100,
};

/**
 * About one edit a second per message is what Discord tolerates without 429s; the global
 * budget stays under the 50 requests a second a bot may make. Channel-wide buckets (bot-token
 * edits share one per channel) are not declared: discord.js learns them from the headers and
 * the adapter reports them as a pause of that channel.
 */
export const DISCORD_BUDGETS: EditBudgets = {
  perMessage: { count: 5, perMs: 5_000 },
  global: { count: 40, perMs: 1_000 },
};

/** Discord's default per-file upload limit, for a channel no interaction told us about yet. */
export const DEFAULT_UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

/** Interaction tokens last 15 minutes; past this age the bot edits with its own token. */
export const INTERACTION_TOKEN_MAX_AGE_MS = 14 * 60_000;
