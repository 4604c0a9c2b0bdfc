import type { OutgoingFile } from '@comfyrelay/chat';
import sharp from 'sharp';

const SIDE = 512;
let placeholder: Promise<OutgoingFile> | undefined;

/**
 * The neutral picture a job's message shows when it has nothing else to show. An immediate
 * reply starts with it: Telegram cannot add a picture to a text message, so the reply is a
 * photo from the start, previews and the result then replace it in place (`editMessageMedia`),
 * and the message a user got first is the one that ends with the result. A job that ends
 * without a result (cancelled, failed) gets it back in place of its last preview, since a
 * photo message cannot become a text message.
 */
export function placeholderPicture(): Promise<OutgoingFile> {
  placeholder ??= sharp({
    create: { width: SIDE, height: SIDE, channels: 3, background: '#26282e' },
  })
    // Two colours in a palette: about 150 bytes, within any upload limit.
    .png({ palette: true, colours: 2, compressionLevel: 9 })
    .toBuffer()
    .then((data) => ({
      data,
      mime: 'image/png',
      filename: 'comfyrelay.png',
      kind: 'image',
      width: SIDE,
      height: SIDE,
    }));
  return placeholder;
}
