import type { ButtonRow } from '@comfyrelay/chat';
import type { InlineKeyboardMarkup } from 'grammy/types';

/** Buttons as an inline keyboard; none: no `reply_markup` (an edit without one removes them). */
export function inlineKeyboard(rows: readonly ButtonRow[] | undefined): {
  reply_markup?: InlineKeyboardMarkup;
} {
  const keyboard = (rows ?? [])
    .filter((row) => row.length > 0)
    .map((row) => row.map((button) => ({ text: button.label, callback_data: button.token })));
  return keyboard.length > 0 ? { reply_markup: { inline_keyboard: keyboard } } : {};
}
