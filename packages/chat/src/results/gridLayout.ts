/** How the images of one job sit in their grid. */
export interface GridLayout {
  columns: number;
  rows: number;
}

/**
 * Midjourney's grids: 2×2 for 4 (and for 3, one cell blank); 2 side by side, or one above the
 * other when they are wider than tall; more in the squarest grid that holds them.
 */
export function gridLayout(count: number, tile: { width: number; height: number }): GridLayout {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`No grid for ${count} images`);
  if (count === 2)
    return tile.width > tile.height ? { columns: 1, rows: 2 } : { columns: 2, rows: 1 };
  const columns = Math.ceil(Math.sqrt(count));
  return { columns, rows: Math.ceil(count / columns) };
}

/** Where tile `index` sits, in pixels. */
export function tileRect(
  layout: GridLayout,
  tile: { width: number; height: number },
  index: number,
  gap = 0,
): { left: number; top: number; width: number; height: number } {
  const column = index % layout.columns;
  const row = Math.floor(index / layout.columns);
  return {
    left: column * (tile.width + gap),
    top: row * (tile.height + gap),
    width: tile.width,
    height: tile.height,
  };
}
