import { readFile } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import type { ImageInput } from '@comfyrelay/core';
import type { Api } from 'grammy';

/** A file Telegram keeps, as an image input: over HTTP, or from disk for a local Bot API server. */
export async function downloadFile(
  api: Api,
  fileId: string,
  /** `<api root>/file/bot<token>`: never logged. */
  fileRoot: string,
): Promise<ImageInput> {
  const file = await api.getFile(fileId);
  const path = file.file_path;
  if (path === undefined) throw new Error('Telegram gave no path to download the picture from');
  // A local Bot API server (--local) answers with a path on its own disk.
  if (isAbsolute(path)) return { data: await readFile(path), filename: basename(path) };
  const response = await fetch(`${fileRoot}/${path}`, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`downloading the picture failed (HTTP ${response.status})`);
  return { data: new Uint8Array(await response.arrayBuffer()), filename: basename(path) };
}
