import { readdirSync } from 'node:fs';
import type { SimDirs } from '../storage/dirs.js';
import type { CatalogContext, ModelFolders } from './types.js';

/** folder_paths.filter_files_content_types(files, ["image"]), by extension. */
const IMAGE_FILE = /\.(png|jpe?g|webp|gif|bmp|tiff?)$/i;

/** Model folders as folder_paths.get_filename_list returns them: sorted. */
export function createCatalog(models: ModelFolders, dirs: SimDirs): CatalogContext {
  const sorted = (names: readonly string[]): string[] => [...names].sort();
  return {
    checkpoints: sorted(models.checkpoints),
    loras: sorted(models.loras),
    diffusionModels: sorted(models.diffusionModels),
    textEncoders: sorted(models.textEncoders),
    vaes: sorted(models.vaes),
    upscaleModels: sorted(models.upscaleModels),
    clipVision: sorted(models.clipVision),
    dirs,
    inputFiles: () =>
      readdirSync(dirs.input, { withFileTypes: true })
        .filter((entry) => entry.isFile() && IMAGE_FILE.test(entry.name))
        .map((entry) => entry.name)
        .sort(),
  };
}
