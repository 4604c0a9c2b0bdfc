import type { FakeState } from '../../fake-state.js';
import type { RestResponse, RestRoute } from '../rest-route.js';

const GONE: RestResponse = {
  status: 404,
  bytes: { data: Buffer.from('This content is no longer available.'), contentType: 'text/plain' },
};

/** The fake's cdn.discordapp.com: attachment bytes at the URLs the API hands out. */
export function cdnRoutes(state: FakeState): RestRoute[] {
  const serve = ({ params }: { params: Record<string, string> }): RestResponse => {
    const attachment = state.attachments.get(params['channel'] ?? '', params['attachment'] ?? '');
    if (!attachment || attachment.filename !== params['filename']) return GONE;
    return {
      status: 200,
      bytes: {
        data: attachment.bytes,
        contentType: attachment.contentType ?? 'application/octet-stream',
      },
    };
  };
  return ['attachments', 'ephemeral-attachments'].map((folder) => ({
    method: 'GET',
    template: `/${folder}/{channel}/{attachment}/{filename}`,
    auth: 'none',
    bucket: undefined,
    handle: serve,
  }));
}
