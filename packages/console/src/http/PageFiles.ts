import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface PageFile {
  contentType: string;
  body: Uint8Array<ArrayBuffer>;
}

// The same from src/http (tests) and dist/http (built): the package's own folders.
const ASSETS = fileURLToPath(new URL('../../assets/', import.meta.url));
const SCRIPTS = fileURLToPath(new URL('../../dist/page/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The page, read once at start: the hand-written assets and the scripts compiled from
 * src/page at build time. Served from memory by URL path.
 */
export async function loadPageFiles(): Promise<Map<string, PageFile>> {
  const files = new Map<string, PageFile>();
  await addFolder(files, ASSETS, '/assets/');
  let scripts: number;
  try {
    scripts = await addFolder(files, SCRIPTS, '/app/');
  } catch {
    scripts = 0;
  }
  if (scripts === 0)
    throw new Error(
      `The console's page is not built (no scripts in ${SCRIPTS}): run "pnpm --filter @comfyrelay/console build".`,
    );
  const index = files.get('/assets/index.html');
  if (!index) throw new Error(`The console's page is missing: ${ASSETS}index.html`);
  files.set('/', index);
  return files;
}

async function addFolder(
  files: Map<string, PageFile>,
  folder: string,
  prefix: string,
): Promise<number> {
  let added = 0;
  for (const name of await readdir(folder, { recursive: true })) {
    const type = TYPES[name.slice(name.lastIndexOf('.'))];
    if (type === undefined) continue;
    files.set(`${prefix}${name.split('\\').join('/')}`, {
      contentType: type,
      body: new Uint8Array(await readFile(`${folder}${name}`)),
    });
    added += 1;
  }
  return added;
}
