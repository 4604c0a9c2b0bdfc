import { isRateLimited, type ChatTarget, type OutgoingFile } from '@comfyrelay/chat';
import { gradientPng } from '@comfyrelay/testkit';
import { FakeTelegram } from '@comfyrelay/testkit-telegram';
import { Api } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { placeholderPicture } from '../src/adapter/placeholderPicture.js';
import { TelegramAdapter } from '../src/index.js';
import { buttonsOf } from './helpers/observe.js';
import { annChat } from './helpers/people.js';

const fakes: FakeTelegram[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((telegram) => telegram.stop()));
});

async function setUp(limits = { photoBytes: 10 * 1024 * 1024, uploadBytes: 50 * 1024 * 1024 }) {
  const telegram = await FakeTelegram.start({ floodLimits: false });
  fakes.push(telegram);
  telegram.openChat(annChat);
  const adapter = new TelegramAdapter(new Api(telegram.token, { apiRoot: telegram.apiRoot }), {
    limits,
  });
  const target: ChatTarget = { chatId: String(annChat.id) };
  const messages = () => telegram.chat(annChat.id).messages;
  return { telegram, adapter, target, messages };
}

const png: OutgoingFile = {
  data: gradientPng(64, 48),
  mime: 'image/png',
  filename: 'grid.png',
  kind: 'image',
};
const buttons = [[{ label: '🔄', token: 'cr-test' }]];

describe('TelegramAdapter', () => {
  it('sends text as HTML with its buttons, and edits it (an unchanged edit is no error)', async () => {
    const { adapter, target, messages } = await setUp();
    const ref = await adapter.send(target, { text: '<b>Done</b> &amp; dusted', buttons });
    expect(messages()[0]).toMatchObject({ text: 'Done & dusted', parse_mode: 'HTML' });
    expect(buttonsOf(messages()[0]!)).toEqual([{ text: '🔄', callback_data: 'cr-test' }]);
    await adapter.edit(ref, { text: 'Edited', buttons: [] });
    await adapter.edit(ref, { text: 'Edited', buttons: [] });
    expect(messages()[0]).toMatchObject({ text: 'Edited' });
    expect(messages()[0]!.reply_markup).toBeUndefined();
  });

  it('picks the method by type: photo, animation, video, document', async () => {
    const { adapter, target, messages } = await setUp();
    const files: [OutgoingFile, string][] = [
      [png, 'photo'],
      [{ ...png, mime: 'image/gif', filename: 'a.gif' }, 'animation'],
      [{ ...png, mime: 'video/mp4', filename: 'clip.mp4', kind: 'video' }, 'video'],
      [{ ...png, mime: 'video/webm', filename: 'clip.webm', kind: 'video' }, 'document'],
      [
        { ...png, mime: 'application/json', filename: 'workflow.json', kind: 'document' },
        'document',
      ],
    ];
    for (const [file] of files) await adapter.send(target, { text: 'caption', files: [file] });
    expect(messages().map((message) => message.media?.type)).toEqual(files.map(([, type]) => type));
    expect(messages()[0]).toMatchObject({ caption: 'caption' });
  });

  it('a picture no photo can show (too long a side) goes as a document', async () => {
    const { adapter, target, messages } = await setUp();
    await adapter.send(target, { text: '', files: [{ ...png, width: 8000, height: 300 }] });
    expect(messages()[0]?.media?.type).toBe('document');
  });

  it('several files: an album, its words and buttons in a message answering it', async () => {
    const { adapter, target, messages, telegram } = await setUp();
    const album = await adapter.send(target, { text: 'three', files: [png, png, png], buttons });
    await telegram.nextEvent('message', (message) => message.text === 'three');
    const sent = messages();
    expect(sent.slice(0, 3).map((message) => message.media?.type)).toEqual([
      'photo',
      'photo',
      'photo',
    ]);
    expect(new Set(sent.slice(0, 3).map((message) => message.media_group_id)).size).toBe(1);
    expect(sent[3]).toMatchObject({ text: 'three', reply_to_message_id: Number(album.messageId) });
    expect(buttonsOf(sent[3]!)).toHaveLength(1);
  });

  it('edits a photo’s caption and media in place; a text message with files is replaced', async () => {
    const { adapter, target, messages } = await setUp();
    const photo = await adapter.send(target, { text: 'first', files: [png] });
    await adapter.edit(photo, { text: 'second' });
    const same = await adapter.editMedia(photo, { text: 'third', files: [png], buttons });
    expect(same.messageId).toBe(photo.messageId);
    expect(messages()[0]?.versions.map((version) => version.method)).toEqual([
      'sendPhoto',
      'editMessageCaption',
      'editMessageMedia',
    ]);

    const text = await adapter.send(target, { text: 'words', replyTo: photo });
    const replaced = await adapter.editMedia(text, { text: 'now a picture', files: [png] });
    expect(replaced.messageId).not.toBe(text.messageId);
    const [, gone, fresh] = messages();
    expect(gone?.deleted).toBe(true);
    expect(fresh).toMatchObject({
      caption: 'now a picture',
      reply_to_message_id: Number(photo.messageId),
    });
  });

  it('without files, a photo message gets the neutral picture back; a text message its words', async () => {
    const { adapter, target, messages } = await setUp();
    const photo = await adapter.send(target, { text: 'a preview', files: [png], buttons });
    const same = await adapter.editMedia(photo, { text: 'Cancelled', files: [], buttons: [] });
    expect(same.messageId).toBe(photo.messageId);
    const shown = messages()[0]!;
    expect(shown.versions.map((version) => version.method)).toEqual([
      'sendPhoto',
      'editMessageMedia',
    ]);
    expect(shown).toMatchObject({ caption: 'Cancelled' });
    expect(Buffer.from(shown.media!.bytes!)).toEqual(
      Buffer.from((await placeholderPicture()).data),
    );
    expect(buttonsOf(shown)).toEqual([]);

    const text = await adapter.send(target, { text: 'Sending…' });
    const edited = await adapter.editMedia(text, { text: 'Failed', files: [] });
    expect(edited.messageId).toBe(text.messageId);
    expect(messages()[1]).toMatchObject({ text: 'Failed' });
    expect(messages()[1]!.versions.map((version) => version.method)).toEqual([
      'sendMessage',
      'editMessageText',
    ]);
  });

  it('throws a 429 as RateLimitedError with Telegram’s retry_after, for the outbox to wait', async () => {
    const { adapter, target, telegram } = await setUp();
    telegram.floodLimits.script({ chatId: annChat.id, count: 1, retryAfterS: 7 });
    const error = await adapter.send(target, { text: 'hello' }).catch((thrown: unknown) => thrown);
    expect(isRateLimited(error)).toBe(true);
    expect(error).toMatchObject({ retryAfterMs: 7000, scope: 'chat' });
  });

  it('answers a button in plain words, as chat gives them and Telegram shows them', async () => {
    const { adapter, target, telegram, messages } = await setUp();
    await adapter.send(target, { text: 'x', buttons });
    const press = telegram.pressButton({
      chat: annChat,
      from: { id: annChat.id, first_name: 'Ann' },
      message_id: messages()[0]!.message_id,
      data: 'cr-test',
    });
    await adapter.answerButton(
      { id: press.callbackQueryId, token: 'cr-test', userId: String(annChat.id) },
      { text: 'prompt: a <b>fox</b> & more', alert: true },
    );
    expect(await press.answered()).toMatchObject({
      text: 'prompt: a <b>fox</b> & more',
      show_alert: true,
    });
  });
});
