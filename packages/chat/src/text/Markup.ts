/**
 * How a platform formats text: `plain` (no formatting), `discord` (Discord's markdown) or
 * `telegram-html` (Telegram's `parse_mode: 'HTML'`).
 */
export type Markup = 'plain' | 'discord' | 'telegram-html';

/** Text a user typed, made safe to show inside formatted text. */
export function escapeText(text: string, markup: Markup): string {
  switch (markup) {
    case 'plain':
      return text;
    case 'discord':
      // Every character Discord's markdown gives a meaning (`<` starts mentions); @everyone and
      // @here kept inert.
      return text.replace(/[\\*_~`|<>#[\]()-]/g, '\\$&').replace(/@(everyone|here)/g, '@\u200b$1');
    case 'telegram-html':
      return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }
}

/** Already escaped text, emphasised. */
export function bold(escaped: string, markup: Markup): string {
  if (escaped === '' || markup === 'plain') return escaped;
  return markup === 'discord' ? `**${escaped}**` : `<b>${escaped}</b>`;
}

/** Already escaped text, de-emphasised (details under a status). */
export function subtle(escaped: string, markup: Markup): string {
  if (escaped === '' || markup === 'plain') return escaped;
  return markup === 'discord' ? `*${escaped}*` : `<i>${escaped}</i>`;
}

/** Raw text (a job id, a command) as inline code. */
export function code(raw: string, markup: Markup): string {
  switch (markup) {
    case 'plain':
      return raw;
    case 'discord':
      // Nothing inside backticks is markdown; a backtick itself would end the span.
      return `\`${raw.replace(/`/g, 'ˋ')}\``;
    case 'telegram-html':
      return `<code>${escapeText(raw, markup)}</code>`;
  }
}
