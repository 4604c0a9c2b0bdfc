/**
 * `text` in at most `max` characters (code points, so emoji are never split): cut after the
 * last whole word that fits, with "…". A single word longer than `max` is cut mid-word.
 */
export function cutOnWord(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  if (chars.length <= max) return chars.join('');
  if (max <= 1) return '…'.slice(0, max);
  const head = chars.slice(0, max - 1).join('');
  const lastSpace = head.lastIndexOf(' ');
  // Cutting on a word must not throw away most of the room (a long first word).
  const kept = lastSpace >= head.length / 2 ? head.slice(0, lastSpace) : head;
  return `${kept.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}

/** Length in bytes, as Telegram counts `callback_data`. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
