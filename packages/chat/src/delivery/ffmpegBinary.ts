import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';

/** The ffmpeg build the npm package @ffmpeg-installer/linux-x64 ships (an optional dependency). */
const FFMPEG_PACKAGE = '@ffmpeg-installer/linux-x64';

/** The bundled ffmpeg's path, or why there is none (another platform, not executable). */
export function findFfmpeg(): { path: string } | { missing: string } {
  let path: string;
  try {
    path = createRequire(import.meta.url).resolve(`${FFMPEG_PACKAGE}/ffmpeg`);
  } catch {
    return {
      missing: `${FFMPEG_PACKAGE} is not installed (it exists for linux-x64; this is ${process.platform}-${process.arch})`,
    };
  }
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return { missing: `${path} is not executable` };
  }
  return { path };
}
