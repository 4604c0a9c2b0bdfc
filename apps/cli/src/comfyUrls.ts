import { blockedPortReason, isBlockedPort } from './blockedPorts.js';
import { RefusedError } from './errors.js';

const EXAMPLE = 'http://127.0.0.1:8188';

/**
 * The ComfyUI servers to use: `--comfy` first, then `COMFYUI_URL` (both may list several,
 * comma-separated). An empty list means none was given at all: the caller uses a simulator.
 * Anything given must be a usable http(s) URL: an empty value (an unset shell variable) or a
 * mistyped one is refused, never quietly replaced by the simulator. A missing scheme means http.
 */
export function comfyUrlsFrom(
  option: string | undefined,
  env: Record<string, string | undefined>,
  /** What happens when none is given, for the message about an empty one. */
  withoutOne = 'to run on a simulator',
): string[] {
  const fromOption = option !== undefined;
  const raw = fromOption ? option : env['COMFYUI_URL'];
  if (raw === undefined) return [];
  const source = fromOption ? '--comfy' : 'COMFYUI_URL';
  if (raw.trim() === '') {
    throw new RefusedError(
      `${source} is empty. Give a ComfyUI URL such as ${EXAMPLE}, or ${fromOption ? 'leave --comfy out' : 'unset COMFYUI_URL'} ${withoutOne}`,
    );
  }
  return raw.split(',').map((part) => {
    const text = part.trim();
    if (text === '')
      throw new RefusedError(
        `${source} "${raw}" has an empty entry; separate several URLs with single commas`,
      );
    return normalizeUrl(text, source);
  });
}

function normalizeUrl(text: string, source: string): string {
  const notUrl = new RefusedError(
    `${source}: "${text}" is not a ComfyUI URL; write it as http://HOST:PORT, such as ${EXAMPLE}`,
  );
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  // "htp:/oops" or "http:/host": a scheme was meant but is misspelt; do not read it as a host.
  if (!hasScheme && /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(text)) throw notUrl;
  const port = /^(?:[a-z][a-z0-9+.-]*:\/\/)?[^/:?#]*:(\d+)/i.exec(text)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    throw new RefusedError(`${source}: "${text}" has port ${port}; a port is 1 to 65535`);
  }
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `http://${text}`);
  } catch {
    throw notUrl;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new RefusedError(`${source}: "${text}" must start with http:// or https://`);
  if (url.hostname === '') throw notUrl;
  if (url.search !== '' || url.hash !== '')
    throw new RefusedError(
      `${source}: "${text}" has a ?query or #fragment; give the server's address only, such as ${EXAMPLE}`,
    );
  const effectivePort = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (isBlockedPort(effectivePort))
    throw new RefusedError(
      `${source}: "${text}": ${blockedPortReason(effectivePort, 'comfyrelay could not reach a ComfyUI there', 8188)}`,
    );
  return url.href.replace(/\/+$/, '');
}
