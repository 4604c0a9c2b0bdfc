import { isUnparsable } from './telegramErrors.js';

/** HTML, or (for text that is not valid HTML) none. */
export type ParseMode = { parse_mode?: 'HTML' };

/**
 * Text is sent as Telegram HTML; a sentence that is not valid HTML (plain words with a `<` or
 * an `&`) is sent again as plain text rather than lost.
 */
export async function withHtml<T>(call: (mode: ParseMode) => Promise<T>): Promise<T> {
  try {
    return await call({ parse_mode: 'HTML' });
  } catch (error) {
    if (!isUnparsable(error)) throw error;
    return call({});
  }
}

export function caption(text: string, mode: ParseMode): { caption?: string; parse_mode?: 'HTML' } {
  return text === '' ? {} : { caption: text, ...mode };
}
