import type { ApiObject } from '../state/api-objects.js';
import type { FakeAttachment } from '../state/attachment-store.js';

/** Embeds as Discord stores them: `type: 'rich'`, and `attachment://name` resolved to the upload. */
export function normalizeEmbeds(embeds: unknown, attachments: FakeAttachment[]): ApiObject[] {
  if (!Array.isArray(embeds)) return [];
  return embeds.map((embed) => {
    const copy: ApiObject = { type: 'rich', ...(embed as ApiObject) };
    for (const key of ['image', 'thumbnail']) {
      const media = copy[key] as ApiObject | undefined;
      if (media && typeof media['url'] === 'string') copy[key] = resolveMedia(media, attachments);
    }
    return copy;
  });
}

function resolveMedia(media: ApiObject, attachments: FakeAttachment[]): ApiObject {
  const url = media['url'] as string;
  if (!url.startsWith('attachment://')) return { ...media, proxy_url: url };
  const attachment = attachments.find((a) => a.filename === url.slice('attachment://'.length));
  if (!attachment) return { ...media, proxy_url: url };
  return {
    ...media,
    url: attachment.url,
    proxy_url: attachment.url,
    ...(attachment.width !== undefined
      ? { width: attachment.width, height: attachment.height }
      : {}),
    ...(attachment.contentType !== undefined ? { content_type: attachment.contentType } : {}),
    flags: 0,
  };
}
