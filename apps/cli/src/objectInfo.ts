import { ComfyHttpClient, type ObjectInfo } from '@comfyrelay/core/protocol';
import { describeUnreachable } from './describeUnreachable.js';

const OBJECT_INFO_TIMEOUT_MS = 10_000;

/** Where /object_info came from, or why it could not be read. */
export type ObjectInfoSource =
  { url: string; checked: true } | { url: string; checked: false; error: string };

/** The first server that answers with a node catalogue; the others are reported. */
export async function fetchObjectInfo(
  urls: string[],
  timeoutMs = OBJECT_INFO_TIMEOUT_MS,
): Promise<{ objectInfo?: ObjectInfo; sources: ObjectInfoSource[] }> {
  const sources: ObjectInfoSource[] = [];
  for (const url of urls) {
    try {
      const info = await new ComfyHttpClient({ baseUrl: url, timeoutMs }).getObjectInfo();
      if (
        typeof info !== 'object' ||
        info === null ||
        Array.isArray(info) ||
        Object.keys(info).length === 0
      ) {
        sources.push({
          url,
          checked: false,
          error: 'its /object_info lists no node classes (is this a ComfyUI server?)',
        });
        continue;
      }
      sources.push({ url, checked: true });
      return { objectInfo: info, sources };
    } catch (error) {
      sources.push({ url, checked: false, error: describeUnreachable(error) });
    }
  }
  return { sources };
}
