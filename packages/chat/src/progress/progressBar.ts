const FILLED = '▰';
const EMPTY = '▱';

/**
 * `▰▰▰▰▰▱▱▱` for 0.62: the nearest number of cells, but never full before the end, so an
 * unfinished generation never looks done.
 */
export function progressBar(fraction: number, cells = 8): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = clamped >= 1 ? cells : Math.min(cells - 1, Math.round(clamped * cells));
  return FILLED.repeat(filled) + EMPTY.repeat(cells - filled);
}
