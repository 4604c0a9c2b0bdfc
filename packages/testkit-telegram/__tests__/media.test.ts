import { InlineKeyboard, InputFile, InputMediaBuilder } from 'grammy';
import type { Message } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { useHarness } from './helpers/harness.js';
import { png } from './helpers/images.js';
import { alice, aliceChat } from './helpers/people.js';

const harness = useHarness();

describe('media with grammY', () => {
  it('sendPhoto uploads an InputFile(Buffer) with a caption and an inline keyboard', async () => {
    const telegram = await harness.start();
    const bot = harness.bot(telegram);
    telegram.openChat({ id: aliceChat.id, type: 'private', first_name: alice.first_name });
    const image = png(1600, 900);
    const keyboard = new InlineKeyboard().text('Again', 'again:1').text('Upscale', 'upscale:1');

    const message = await bot.api.sendPhoto(aliceChat.id, new InputFile(image, 'cat.png'), {
      caption: '<b>cat</b> in 1600×900',
      parse_mode: 'HTML',
      reply_markup: keyboard,
    });

    expect(message.photo?.map((size) => [size.width, size.height])).toEqual([
      [90, 51],
      [320, 180],
      [800, 450],
      [1280, 720],
      [1600, 900],
    ]);
    expect(message.caption).toBe('cat in 1600×900');
    expect(message.caption_entities).toEqual([{ type: 'bold', offset: 0, length: 3 }]);
    expect(message.reply_markup?.inline_keyboard[0]?.map((button) => button.text)).toEqual([
      'Again',
      'Upscale',
    ]);
    const [recorded] = telegram.chat(aliceChat.id).messages;
    expect(recorded?.media?.type).toBe('photo');
    expect(recorded?.media?.file_name).toBe('cat.png');
    expect(recorded?.media?.bytes?.equals(image)).toBe(true);
    expect(recorded?.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: 'Again', callback_data: 'again:1' },
          { text: 'Upscale', callback_data: 'upscale:1' },
        ],
      ],
    });
    const uploadCall = telegram.calls.find((call) => call.method === 'sendPhoto');
    expect(uploadCall?.params['photo']).toMatch(/^attach:\/\//);
  });

  it('sendDocument, sendVideo and sendAnimation keep bytes, names and types', async () => {
    const telegram = await harness.start({ floodLimits: false });
    const bot = harness.bot(telegram);
    telegram.openChat({ id: aliceChat.id, type: 'private', first_name: alice.first_name });
    const bytes = Buffer.from('not really an mp4');
    const document = await bot.api.sendDocument(
      aliceChat.id,
      new InputFile(bytes, 'workflow.json'),
    );
    const video = await bot.api.sendVideo(aliceChat.id, new InputFile(bytes, 'clip.mp4'), {
      width: 640,
      height: 360,
      duration: 3,
    });
    const animation = await bot.api.sendAnimation(aliceChat.id, new InputFile(bytes, 'loop.mp4'));
    expect(document.document).toMatchObject({
      file_name: 'workflow.json',
      mime_type: 'application/json',
    });
    expect(video.video).toMatchObject({
      width: 640,
      height: 360,
      duration: 3,
      mime_type: 'video/mp4',
    });
    // Telegram sets document next to animation, for old clients.
    expect(animation.animation?.file_id).toBe(animation.document?.file_id);
    const types = telegram.chat(aliceChat.id).messages.map((message) => message.media?.type);
    expect(types).toEqual(['document', 'video', 'animation']);
  });

  it('sendMediaGroup sends 2-10 items as one album', async () => {
    const telegram = await harness.start();
    const bot = harness.bot(telegram);
    telegram.openChat({ id: aliceChat.id, type: 'private', first_name: alice.first_name });
    const first = png(64, 64, [255, 0, 0]);
    const second = png(64, 64, [0, 0, 255]);
    const album = await bot.api.sendMediaGroup(aliceChat.id, [
      InputMediaBuilder.photo(new InputFile(first, 'a.png'), { caption: 'seed 1' }),
      InputMediaBuilder.photo(new InputFile(second, 'b.png')),
    ]);
    expect(album).toHaveLength(2);
    const groupIds = album.map(
      (message) => (message as { media_group_id?: string }).media_group_id,
    );
    expect(groupIds[0]).toBeDefined();
    expect(groupIds[1]).toBe(groupIds[0]);
    expect(album.map((message) => message.caption)).toEqual(['seed 1', undefined]);
    const recorded = telegram.chat(aliceChat.id).messages;
    expect(
      recorded.map((message) =>
        message.media?.bytes?.equals(message === recorded[0] ? first : second),
      ),
    ).toEqual([true, true]);

    await expect(
      bot.api.sendMediaGroup(aliceChat.id, [InputMediaBuilder.photo(new InputFile(first))]),
    ).rejects.toMatchObject({ error_code: 400 });
    const eleven = Array.from({ length: 11 }, () => InputMediaBuilder.photo(new InputFile(first)));
    await expect(bot.api.sendMediaGroup(aliceChat.id, eleven)).rejects.toMatchObject({
      description: 'Bad Request: too many messages to send as an album',
    });
  });

  it('editMessageMedia replaces the file; every version keeps its bytes', async () => {
    const telegram = await harness.start();
    const bot = harness.bot(telegram);
    telegram.openChat({ id: aliceChat.id, type: 'private', first_name: alice.first_name });
    const preview = png(32, 32, [10, 10, 10]);
    const final = png(512, 512, [250, 250, 250]);
    const sent = await bot.api.sendPhoto(aliceChat.id, new InputFile(preview), {
      caption: 'step 5/20',
    });
    const edited = (await bot.api.editMessageMedia(
      aliceChat.id,
      sent.message_id,
      InputMediaBuilder.photo(new InputFile(final, 'final.png'), { caption: 'done' }),
    )) as Message;
    expect(edited.photo?.at(-1)).toMatchObject({ width: 512, height: 512 });
    expect(edited.caption).toBe('done');
    const [recorded] = telegram.chat(aliceChat.id).messages;
    expect(recorded?.versions.map((version) => version.method)).toEqual([
      'sendPhoto',
      'editMessageMedia',
    ]);
    expect(recorded?.versions[0]?.media?.bytes?.equals(preview)).toBe(true);
    expect(recorded?.media?.bytes?.equals(final)).toBe(true);
    expect(recorded?.caption).toBe('done');
  });

  it('a user photo with caption reaches the bot; getFile + download return its bytes', async () => {
    const telegram = await harness.start();
    const bot = harness.bot(telegram);
    const image = png(300, 200);
    bot.on('message:photo', async (ctx) => {
      const largest = ctx.msg.photo.at(-1)!;
      const file = await ctx.api.getFile(largest.file_id);
      const url = `${telegram.apiRoot}/file/bot${bot.token}/${file.file_path}`;
      const downloaded = Buffer.from(await (await fetch(url)).arrayBuffer());
      await ctx.reply(
        `${ctx.msg.caption} ${largest.width}x${largest.height} ${downloaded.equals(image)}`,
      );
    });
    harness.run(bot);

    const sent = telegram.sendPhoto({
      chat: aliceChat,
      from: alice,
      photo: image,
      caption: 'img2img this',
    });
    expect(sent.message?.photo?.length).toBeGreaterThan(1);
    const reply = await sent.reply();
    expect(reply.text).toBe('img2img this 300x200 true');
    expect(harness.errors).toEqual([]);
  });

  it('getFile refuses unknown file ids; downloads of unknown paths are 404', async () => {
    const telegram = await harness.start();
    const bot = harness.bot(telegram);
    await expect(bot.api.getFile('nope')).rejects.toMatchObject({
      description: 'Bad Request: invalid file_id',
    });
    const response = await fetch(`${telegram.apiRoot}/file/bot${bot.token}/photos/missing.jpg`);
    expect(response.status).toBe(404);
  });
});
