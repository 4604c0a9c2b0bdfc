import { RefusedError } from '../errors.js';

/** ComfyUI's own default for `--max-upload-size`: larger uploads are refused by the server. */
export const DEFAULT_MAX_UPLOAD_MB = 100;
const MB = 1024 * 1024;

/** The largest picture file `--image` reads, in bytes: `COMFYRELAY_MAX_UPLOAD_MB`, else 100 MB. */
export function maxUploadBytesFrom(env: Record<string, string | undefined>): number {
  const given = env['COMFYRELAY_MAX_UPLOAD_MB'];
  if (given === undefined || given.trim() === '') return DEFAULT_MAX_UPLOAD_MB * MB;
  const megabytes = Number(given.trim());
  if (!/^\s*\d+(\.\d+)?\s*$/.test(given) || !(megabytes > 0)) {
    throw new RefusedError(
      `COMFYRELAY_MAX_UPLOAD_MB is "${given}"; give the largest picture to upload in megabytes, such as ${DEFAULT_MAX_UPLOAD_MB} (ComfyUI's own default), or unset it`,
    );
  }
  return Math.floor(megabytes * MB);
}

/** "1.2 GB", "310 KB": a size a person reads at a glance. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MB) return `${(bytes / (1024 * MB)).toFixed(1)} GB`;
  if (bytes >= MB) return `${(bytes / MB).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}
