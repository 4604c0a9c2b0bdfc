import sharp from 'sharp';
import { gridLayout, tileRect, type GridLayout } from './gridLayout.js';

/** One image made of a job's images, and where each of them is in it. */
export interface GridImage {
  data: Buffer;
  mime: 'image/png';
  width: number;
  height: number;
  layout: GridLayout;
  tile: { width: number; height: number };
  gap: number;
}

export interface GridOptions {
  /** Pixels between tiles (default 0, as Midjourney). */
  gap?: number;
  /** What blank cells and gaps show (default transparent). */
  background?: string;
}

/**
 * The images of one job as one grid (2×2 for 4, 2×1 or 1×2 for 2, 2×2 with a blank for 3).
 * Tiles take the first image's size; the others are fitted into it.
 */
export async function composeGrid(
  images: readonly Uint8Array[],
  options: GridOptions = {},
): Promise<GridImage> {
  const first = images[0];
  if (!first) throw new RangeError('A grid needs at least one image');
  const meta = await sharp(first).metadata();
  const tile = { width: meta.width, height: meta.height };
  const gap = options.gap ?? 0;
  const layout = gridLayout(images.length, tile);
  const background = options.background ?? '#00000000';
  const tiles = await Promise.all(
    images.map((image, i) =>
      i === 0
        ? sharp(image).png().toBuffer()
        : sharp(image)
            .resize(tile.width, tile.height, { fit: 'contain', background })
            .png()
            .toBuffer(),
    ),
  );
  const width = layout.columns * tile.width + (layout.columns - 1) * gap;
  const height = layout.rows * tile.height + (layout.rows - 1) * gap;
  const data = await sharp({ create: { width, height, channels: 4, background } })
    .composite(
      tiles.map((input, i) => {
        const { left, top } = tileRect(layout, tile, i, gap);
        return { input, left, top };
      }),
    )
    .png()
    .toBuffer();
  return { data, mime: 'image/png', width, height, layout, tile, gap };
}
