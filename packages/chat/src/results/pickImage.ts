import sharp from 'sharp';
import type { GridImage } from './composeGrid.js';
import { tileRect } from './gridLayout.js';

/**
 * U-k: image `index` of a result on its own, from the stored outputs, with no GPU. A job that
 * stored one file per image gets that file as it is; a job that stored one grid gets its tile
 * cut out (give the grid's geometry).
 */
export async function pickImage(
  originals: readonly Uint8Array[],
  index: number,
  grid?: Pick<GridImage, 'layout' | 'tile' | 'gap'>,
): Promise<Uint8Array> {
  if (originals.length > 1 || !grid) {
    const original = originals[index];
    if (!original) throw new RangeError(`There is no image ${index + 1} in this result`);
    return original;
  }
  const cells = grid.layout.columns * grid.layout.rows;
  if (!Number.isInteger(index) || index < 0 || index >= cells)
    throw new RangeError(`There is no image ${index + 1} in this grid`);
  return cropTile(originals[0]!, grid, index);
}

/** Tile `index` of a grid image, cut out as PNG. */
export function cropTile(
  gridImage: Uint8Array,
  grid: Pick<GridImage, 'layout' | 'tile' | 'gap'>,
  index: number,
): Promise<Buffer> {
  return sharp(gridImage)
    .extract(tileRect(grid.layout, grid.tile, index, grid.gap))
    .png()
    .toBuffer();
}
