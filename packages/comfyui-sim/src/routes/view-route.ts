import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { sendEmpty } from '../http/respond.js';
import type { HttpContext, Router } from '../http/router.js';
import { isFolderType, isInside, parseAnnotatedName } from '../storage/dirs.js';
import type { RouteDeps } from './route-deps.js';

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/x-wav',
  '.flac': 'audio/flac',
  '.json': 'application/json',
  '.txt': 'text/plain',
};

/** ComfyUI forces a download for these rather than letting a browser render them. */
const UNSAFE_TYPES = new Set(['text/html', 'application/xhtml+xml', 'text/javascript', 'text/css']);

export function registerViewRoute(router: Router, deps: RouteDeps): void {
  router.add('GET', '/view', (ctx) => viewFile(ctx, deps));
}

/**
 * ComfyUI's /view. `preview=webp;90` asks for a re-encoded preview; the simulator has no WebP/JPEG
 * encoder and serves the original bytes with their own content type instead.
 */
async function viewFile({ url, res }: HttpContext, { services }: RouteDeps): Promise<void> {
  const query = url.searchParams;
  const requested = query.get('filename');
  if (requested === null) return sendEmpty(res, 404);
  const annotated = parseAnnotatedName(requested);
  const filename = annotated.name;
  if (!filename) return sendEmpty(res, 400);
  if (filename.startsWith('/') || filename.includes('..')) return sendEmpty(res, 400);
  const type = annotated.type ?? query.get('type') ?? 'output';
  if (!isFolderType(type)) return sendEmpty(res, 400);
  const root = services.dirs[type];
  let folder = root;
  const subfolder = query.get('subfolder');
  if (subfolder !== null) {
    folder = path.resolve(root, subfolder);
    if (!isInside(root, folder)) return sendEmpty(res, 403);
  }
  const basename = path.basename(filename);
  const file = path.join(folder, basename);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return sendEmpty(res, 404);
  const guessed = CONTENT_TYPES[path.extname(basename).toLowerCase()] ?? 'application/octet-stream';
  res.writeHead(200, {
    'Content-Type': UNSAFE_TYPES.has(guessed) ? 'application/octet-stream' : guessed,
    'Content-Length': info.size,
    'Content-Disposition': `filename="${basename}"`,
  });
  await new Promise<void>((resolve, reject) => {
    createReadStream(file).on('error', reject).on('end', resolve).pipe(res);
  });
}
