import { describe, expect, it } from 'vitest';
import { showsResult, waitForBotMessage, waitForMessage, wordsOf } from './helpers/observe.js';
import { ann, annChat } from './helpers/people.js';
import { useBot } from './helpers/useBot.js';

const bots = useBot();

describe('outputs larger than Telegram takes', () => {
  it('a picture over the photo limit is recompressed; the original follows as a file', async () => {
    const photoBytes = 12 * 1024;
    const { telegram } = await bots.start({
      telegram: { limits: { photoBytes } },
      env: { TELEGRAM_MAX_PHOTO_SIZE: '12KB' },
    });
    const reply = await telegram
      .sendText({
        chat: annChat,
        from: ann,
        text: '/imagine a wide valley --width 2048 --height 2048 --steps 2',
      })
      .reply();
    const result = await waitForMessage(
      telegram,
      annChat.id,
      reply.message_id,
      showsResult,
      'the result',
    );
    const photo = result.media!.bytes!;
    expect(result.media?.type).toBe('photo');
    expect(photo.length).toBeLessThanOrEqual(photoBytes);
    expect(photo.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8])); // JPEG

    const original = await waitForBotMessage(
      telegram,
      annChat.id,
      (message) => message.media?.type === 'document',
      'the original as a document',
    );
    expect(original.reply_to_message_id).toBe(result.message_id);
    expect(original.caption).toBe('The original, as a file');
    expect(original.media?.file_name).toMatch(/\.png$/);
    expect(original.media!.bytes!.length).toBeGreaterThan(photoBytes);
    expect(original.media!.bytes!.subarray(1, 4).toString()).toBe('PNG');
  });

  it('what no upload can hold is said in words under the buttons', async () => {
    const { telegram } = await bots.start({
      telegram: { limits: { photoBytes: 200, uploadBytes: 200 } },
      env: { TELEGRAM_MAX_PHOTO_SIZE: '200B', TELEGRAM_MAX_UPLOAD_SIZE: '200B' },
    });
    const reply = await telegram
      .sendText({ chat: annChat, from: ann, text: '/imagine a detailed city --steps 2' })
      .reply();
    const result = await waitForMessage(
      telegram,
      annChat.id,
      reply.message_id,
      showsResult,
      'the result',
    );
    expect(wordsOf(result)).toMatch(
      /The picture is \d+ KB, more than the 200 bytes this chat accepts, and could not be made small enough\./,
    );
    expect(telegram.tooManyRequests).toEqual([]);
    expect(telegram.calls.filter((call) => call.status === 413)).toEqual([]);
  });
});
