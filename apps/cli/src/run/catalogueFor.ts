import type { Logger } from '@comfyrelay/core';
import { ensureReachable } from '../comfyTarget.js';
import { fetchObjectInfo } from '../objectInfo.js';
import { simulatorCatalogue, type NodeCatalogue } from './nodeCatalogue.js';

/**
 * The node classes a run is checked against before anything is sent: the given server's
 * (once it answers, waited for up to `waitMs`), or, with none, the simulator's that will be
 * started for it. Undefined, said on stderr, when the server does not list them.
 */
export async function catalogueFor(
  urls: string[],
  logger: Logger,
  options: { waitMs: number; say: (line: string) => void },
): Promise<NodeCatalogue | undefined> {
  if (urls.length === 0) return simulatorCatalogue();
  await ensureReachable(urls, logger, { waitMs: options.waitMs, say: options.say });
  const read = await fetchObjectInfo(urls);
  if (read.objectInfo) return { objectInfo: read.objectInfo, source: 'server' };
  const why = read.sources.map((s) => (s.checked ? s.url : `${s.url}: ${s.error}`)).join('; ');
  options.say(
    `comfyrelay run: note: ComfyUI did not list its node classes (${why}), so only the file itself is checked before submitting`,
  );
  return undefined;
}
