import { badRequest } from '../api/api-error.js';
import type { Params } from '../api/params.js';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from '../types.js';

const MAX_CALLBACK_DATA_BYTES = 64;

/** Button kinds other than callback_data that make an inline button valid. */
const OTHER_INLINE_BUTTON_FIELDS = [
  'url',
  'login_url',
  'web_app',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
];

export interface ReplyMarkup {
  /** As the bot passed it. */
  passed: Record<string, unknown>;
  /** Set for a non-empty inline keyboard: the only markup Telegram echoes back in a Message. */
  inline?: InlineKeyboardMarkup;
}

/** Reads and validates `reply_markup` like Telegram: undefined when absent or empty. */
export function readReplyMarkup(params: Params): ReplyMarkup | undefined {
  const value = params.json('reply_markup', 'reply keyboard markup');
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('object expected as reply markup');
  }
  const passed = value as Record<string, unknown>;
  if (passed['inline_keyboard'] === undefined) return { passed };
  const rows = passed['inline_keyboard'];
  if (!Array.isArray(rows) || rows.some((row) => !Array.isArray(row))) {
    throw badRequest(
      'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays',
    );
  }
  const inline_keyboard = (rows as unknown[][]).map((row) => row.map(readInlineButton));
  if (inline_keyboard.length === 0) return undefined;
  return { passed, inline: { inline_keyboard } };
}

function readInlineButton(button: unknown): InlineKeyboardButton {
  if (typeof button !== 'object' || button === null || Array.isArray(button)) {
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  }
  const fields = button as Record<string, unknown>;
  if (typeof fields['text'] !== 'string') {
    throw badRequest(`can't parse inline keyboard button: Field "text" must be of type String`);
  }
  const data = fields['callback_data'];
  if (typeof data === 'string' && data !== '') {
    if (Buffer.byteLength(data, 'utf8') > MAX_CALLBACK_DATA_BYTES) {
      throw badRequest('BUTTON_DATA_INVALID');
    }
    return fields as InlineKeyboardButton;
  }
  if (!OTHER_INLINE_BUTTON_FIELDS.some((field) => fields[field] !== undefined)) {
    throw badRequest(
      "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    );
  }
  return fields as InlineKeyboardButton;
}
