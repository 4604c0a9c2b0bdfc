import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readBody } from '../http/read-body.js';
import { multipartBoundary, parseMultipart, type MultipartPart } from '../http/multipart.js';
import { sendEmpty, sendInternalError, sendJson } from '../http/respond.js';
import type { HttpContext, Router } from '../http/router.js';
import { isFolderType, isInside, type FolderType } from '../storage/dirs.js';
import type { RouteDeps } from './route-deps.js';

export function registerUploadRoute(router: Router, deps: RouteDeps): void {
  router.add('POST', '/upload/image', (ctx) => uploadImage(ctx, deps));
}

/**
 * ComfyUI's image_upload: same name with identical bytes keeps the name (no second copy); same
 * name with other bytes becomes "name (1).ext" unless overwrite is "true"/"1".
 */
async function uploadImage({ req, res }: HttpContext, { services }: RouteDeps): Promise<void> {
  const boundary = multipartBoundary(req.headers['content-type']);
  const body = await readBody(req);
  const parts = boundary ? parseMultipart(body, boundary) : [];
  const field = (name: string): string | undefined => textOf(parts.find((p) => p.name === name));
  const image = parts.find((p) => p.name === 'image' && p.filename !== undefined);
  if (!image?.filename) return sendEmpty(res, 400);

  const requestedType = field('type') ?? 'input';
  if (!isFolderType(requestedType)) return sendInternalError(res);
  const type: FolderType = requestedType;
  const root = services.dirs[type];
  const subfolder = field('subfolder') ?? '';
  const folder = path.resolve(root, path.normalize(subfolder || '.'));
  let filename = image.filename;
  let target = path.resolve(folder, filename);
  if (!isInside(root, target)) return sendEmpty(res, 400);
  await mkdir(folder, { recursive: true });

  const overwrite = field('overwrite');
  let duplicate = false;
  if (overwrite !== 'true' && overwrite !== '1') {
    const { name, ext } = path.parse(filename);
    for (let i = 1; existsSync(target); i++) {
      if ((await readFile(target)).equals(image.data)) {
        duplicate = true;
        break;
      }
      filename = `${name} (${i})${ext}`;
      target = path.join(folder, filename);
    }
  }
  if (!duplicate) await writeFile(target, image.data);
  sendJson(res, 200, { name: filename, subfolder, type });
}

function textOf(part: MultipartPart | undefined): string | undefined {
  return part && part.filename === undefined ? part.data.toString('utf8') : undefined;
}
