import { readdirSync } from 'node:fs';
import type { SimDirs } from '../storage/dirs.js';
import type { CatalogContext } from './types.js';

/** folder_paths.filter_files_content_types(files, ["image"]), by extension. */
const IMAGE_FILE = /\.(png|jpe?g|webp|gif|bmp|tiff?)$/i;

export function createCatalog(
  checkpoints: readonly string[],
  loras: readonly string[],
  dirs: SimDirs,
): CatalogContext {
  return {
    checkpoints: [...checkpoints].sort(),
    loras: [...loras].sort(),
    dirs,
    inputFiles: () =>
      readdirSync(dirs.input, { withFileTypes: true })
        .filter((entry) => entry.isFile() && IMAGE_FILE.test(entry.name))
        .map((entry) => entry.name)
        .sort(),
  };
}
