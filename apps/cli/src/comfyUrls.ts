import { UsageError } from './errors.js';

/**
 * The ComfyUI servers to use: `--comfy` first, then `COMFYUI_URL` (both may list several,
 * comma-separated). An empty list means "none given". A missing scheme means http.
 */
export function comfyUrlsFrom(
  option: string | undefined,
  env: Record<string, string | undefined>,
): string[] {
  const raw = option ?? env['COMFYUI_URL'] ?? '';
  const source = option !== undefined ? '--comfy' : 'COMFYUI_URL';
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => normalizeUrl(part, source));
}

function normalizeUrl(text: string, source: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(
      `${source}: "${text}" is not a URL (expected something like http://127.0.0.1:8188)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${source}: "${text}" must be an http:// or https:// URL`);
  }
  return url.href.replace(/\/+$/, '');
}
