import { describe, expect, it } from 'vitest';
import { englishWording, type Invocation } from '../src/index.js';
import { FakeChatAdapter } from '../src/testing.js';
import { ann, bob, useChatBots } from './helpers/chatBot.js';

const { simulator, bot } = useChatBots();

const telegramLike = (rules: ConstructorParameters<typeof FakeChatAdapter>[0] = {}) =>
  new FakeChatAdapter({
    platform: 'fake',
    ...rules,
    rules: { markup: 'telegram-html', ...rules.rules },
  });

describe('autocomplete for the built-in commands', () => {
  it('/cancel and /show suggest the user’s own jobs by a readable label; /help the commands', async () => {
    const sim = await simulator();
    const { say, finalOf, service, relay } = await bot(sim, { access: { adminUsers: ['root'] } });
    const { opened } = await say(ann, 'imagine', 'a finished fox --steps 2');
    await finalOf(opened!);
    const [finished] = await relay.history({ limit: 1 });
    sim.holdExecution();
    await say(ann, 'imagine', 'a waiting owl --steps 2');
    const [running] = relay.active();

    const cancel = await service.autocomplete('cancel', 'job', '', ann);
    expect(cancel).toEqual([
      {
        label: expect.stringMatching(
          new RegExp(`^${running!.id.slice(0, 8)} · a waiting owl — (Yours is next|.* ahead|0 %)`),
        ),
        value: running!.id,
      },
    ]);
    const show = await service.autocomplete('show', 'job', '', ann);
    expect(show.map((suggestion) => suggestion.value)).toEqual([running!.id, finished!.id]);
    expect(show[1]?.label).toBe(`${finished!.id.slice(0, 8)} · a finished fox — succeeded`);
    expect(await service.autocomplete('show', 'job', 'fox', ann)).toHaveLength(1);
    expect(await service.autocomplete('show', 'job', finished!.id.slice(0, 4), ann)).toEqual([
      expect.objectContaining({ value: finished!.id }),
    ]);
    expect(await service.autocomplete('cancel', 'job', '', bob)).toEqual([]);
    const admin = { ...bob, userId: 'root' };
    expect(await service.autocomplete('cancel', 'job', '', admin)).toHaveLength(1);

    const help = await service.autocomplete('help', 'command', 'imag');
    expect(help).toContainEqual({
      label: expect.stringMatching(/^\/imagine — \w/),
      value: 'imagine',
    });
    expect(help.every((suggestion) => suggestion.value.startsWith('imag'))).toBe(true);
    for (const suggestion of [...cancel, ...show, ...help])
      expect(suggestion.label.length).toBeLessThanOrEqual(100);
    sim.releaseExecution();
  });
});

describe('pictures users give', () => {
  it('one limit (maxPictureBytes) and its words: too large, unreadable', async () => {
    const { service, adapter } = await bot(await simulator(), { maxPictureBytes: 1024 });
    expect(service.maxPictureBytes).toBe(1024);
    let opened = false;
    const invocation: Invocation = {
      command: 'image_img2img',
      text: 'the same in blue',
      pictures: { image: { data: new Uint8Array(4096), filename: 'big.png' } },
      requester: ann,
      target: { chatId: 'room' },
      open: async () => {
        opened = true;
        return adapter.send({ chatId: 'room' }, { text: '…' });
      },
    };
    const refused = await service.run(invocation);
    expect(opened).toBe(false);
    expect(refused).toEqual({
      message: { text: 'The picture big.png is 4 KB, more than the 1 KB a picture may have.' },
      private: true,
    });
    expect(service.pictureTooLarge('cat.png', 3 * 1024 * 1024).message.text).toBe(
      'The picture cat.png is 3 MB, more than the 1 KB a picture may have.',
    );
    expect(service.pictureUnreadable('cat.png').message.text).toBe(
      'The picture cat.png could not be read; please send it again.',
    );
    expect(englishWording.originalAsFile).toBe('The original, as a file');
  });
});

describe('what the service says is in the platform’s markup', () => {
  it('private sentences and a refused job’s message are escaped', async () => {
    const sim = await simulator();
    const { say, adapter } = await bot(
      sim,
      {},
      {
        adapter: telegramLike(),
        relay: { scheduling: { perBackend: 1, limits: { globalQueued: 1 } } },
      },
    );
    expect((await say(ann, 'pa<i>nt')).reply).toBe(
      'There is no command /pa&lt;i&gt;nt; /help lists them.',
    );
    expect((await say(ann, 'show', '<b>')).reply).toBe('There is no job &lt;b&gt;.');

    const discordLike = await bot(
      sim,
      {},
      {
        adapter: new FakeChatAdapter({ platform: 'fake', rules: { markup: 'discord' } }),
        relay: { scheduling: { perBackend: 1, limits: { globalQueued: 1 } } },
      },
    );
    sim.holdExecution();
    await discordLike.say(ann, 'imagine', 'runs --steps 2');
    await discordLike.say(ann, 'imagine', 'waits --steps 2');
    const { opened } = await discordLike.say(ann, 'imagine', 'refused --steps 2');
    await discordLike.adapter.until(
      () => discordLike.adapter.messages.get(opened!.messageId)!.history.length > 1,
    );
    expect(discordLike.adapter.messages.get(opened!.messageId)?.text).toBe(
      'You have reached a limit: The queue is full \\(1 waiting\\); try again in a moment.',
    );
    sim.releaseExecution();
    expect(adapter.violations).toEqual([]);
  });

  it('the Parameters button answers in plain text (an alert shows no formatting)', async () => {
    const { say, finalOf, press, adapter } = await bot(
      await simulator(),
      {},
      {
        adapter: telegramLike({ rules: { maxCaptionLength: 40 } }),
      },
    );
    const { opened } = await say(ann, 'imagine', 'a fox & a <hound> --steps 2 --seed 42');
    await finalOf(opened!);
    await press(bob, opened!, /Parameters/);
    const answer = adapter.answers.at(-1)!;
    expect(answer.alert).toBe(true);
    expect(answer.text).toMatch(/^prompt: a fox & a <hound>\n/m);
    expect(answer.text).toMatch(/^seed: 42$/m);
    expect(answer.text).not.toMatch(/<b>|&amp;|&lt;/);
  });
});
