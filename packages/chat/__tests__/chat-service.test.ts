import { InMemoryGenerationStore } from '@comfyrelay/core';
import { describe, expect, it } from 'vitest';
import { ann, bob, useChatBots } from './helpers/chatBot.js';

const { simulator, bot } = useChatBots();

describe('ChatService: a chat user asks, sees progress, gets a result with buttons', () => {
  it('/imagine with text arguments: one message, edited to the result with its buttons', async () => {
    const { say, finalOf } = await bot(await simulator());
    const { reply, opened } = await say(ann, 'imagine', 'a red fox --steps 3 --ar 1:1');
    expect(reply).toBeUndefined();
    const final = await finalOf(opened!);
    expect(final.files).toHaveLength(1);
    expect(final.files[0]?.mime).toMatch(/^image\//);
    const labels = final.buttons.flat().map((button) => button.label);
    expect(labels).toEqual(expect.arrayContaining([expect.stringMatching(/🔄|Reroll/)]));
    expect(final.text).toContain('a red fox');
  });

  it('refuses in words what the workflow does not accept, before opening anything', async () => {
    const { say, adapter } = await bot(await simulator());
    const { reply, opened } = await say(ann, 'imagine', 'a fox --steps 999');
    expect(opened).toBeUndefined();
    expect(reply).toMatch(/steps must be at most 100/);
    const unknown = await say(ann, 'imagine', 'a fox --stesp 3');
    expect(unknown.reply).toMatch(/--stesp.*did you mean --steps/);
    expect(adapter.messages.size).toBe(0);
  });

  it('unknown commands, chats it does not serve and people without the role get a sentence', async () => {
    const { say } = await bot(await simulator(), {
      access: { allowedChats: ['room'], allowedRoles: ['artist'] },
    });
    expect((await say(ann, 'paint', 'x')).reply).toMatch(/no command \/paint/);
    expect((await say({ ...ann, chatId: 'elsewhere' }, 'imagine', 'x')).reply).toMatch(
      /do not make pictures in this chat/,
    );
    expect((await say(ann, 'imagine', 'x')).reply).toMatch(/not allowed/);
    const artist = { ...ann, roles: ['artist'] };
    expect((await say(artist, 'imagine', 'x --steps 2')).opened).toBeDefined();
  });

  it('a reroll button starts a new job for whoever pressed it, in the same chat', async () => {
    const { say, finalOf, press, adapter } = await bot(await simulator());
    const { opened } = await say(ann, 'imagine', 'a lighthouse --steps 2');
    await finalOf(opened!);
    const before = adapter.messages.size;
    await press(bob, opened!, /🔄|Reroll/);
    await adapter.until(() => adapter.messages.size > before);
    const rerolled = [...adapter.messages.values()].at(-1)!;
    const final = await finalOf({ target: rerolled.target, messageId: rerolled.id });
    expect(final.files).toHaveLength(1);
    expect(final.text).toContain('@bob');
  });

  it('U-k sends that image on its own, without a new job', async () => {
    const { say, finalOf, press, adapter, relay } = await bot(await simulator());
    const { opened } = await say(ann, 'imagine', 'two foxes --steps 2 --batch_size 2');
    await finalOf(opened!);
    const jobs = relay.active().length;
    const before = adapter.messages.size;
    await press(ann, opened!, /^U2$/);
    await adapter.until(() => adapter.messages.size > before);
    const picked = [...adapter.messages.values()].at(-1)!;
    expect(picked.text).toBe('Image 2');
    expect(picked.files[0]?.mime).toBe('image/png');
    expect(relay.active().length).toBe(jobs);
  });

  it('cancel: only the requester (or an admin) may; the job ends cancelled', async () => {
    const sim = await simulator();
    const { say, finalOf, press, adapter } = await bot(sim, { access: { adminUsers: ['root'] } });
    sim.holdExecution();
    const { opened } = await say(ann, 'imagine', 'slow --steps 2');
    await adapter.until(() =>
      (adapter.messages.get(opened!.messageId)?.buttons.flat() ?? []).some((b) =>
        /Cancel/.test(b.label),
      ),
    );
    await press(bob, opened!, /Cancel/);
    expect(adapter.answers.at(-1)?.text).toMatch(/Only the person who asked/);
    await press(ann, opened!, /Cancel/);
    const final = await finalOf(opened!);
    expect(final.text).toMatch(/cancel/i);
    sim.releaseExecution();
  });

  it('built-in commands: help, queue, status, settings as defaults, show with fresh buttons', async () => {
    const { say, finalOf, relay } = await bot(await simulator());
    expect((await say(ann, 'help')).reply).toMatch(/\/imagine/);
    expect((await say(ann, 'help', 'imagine')).reply).toMatch(/--steps/);
    expect((await say(ann, 'status')).reply).toMatch(/^sim: open/);
    expect((await say(ann, 'settings')).reply).toMatch(/no settings yet/);
    expect((await say(ann, 'settings', '--steps 2 --ar 16:9')).reply).toMatch(/--steps 2/);
    const { opened } = await say(ann, 'imagine', 'with my defaults');
    await finalOf(opened!);
    const [record] = await relay.history({ limit: 1 });
    expect(record?.parameters).toMatchObject({ steps: 2, aspect: '16:9' });
    expect((await say(ann, 'queue')).reply).toMatch(/nothing in progress/);
    const shown = await say(ann, 'show', record!.id.slice(0, 8));
    expect(shown.reply).toContain('with my defaults');
  });
});

describe('ChatService across a restart (same store, same secret)', () => {
  it('edits the same message to the result, and old buttons still work', async () => {
    const sim = await simulator();
    const store = new InMemoryGenerationStore();
    const first = await bot(sim, {}, { store });
    const done = await first.say(ann, 'imagine', 'before the restart --steps 2');
    await first.finalOf(done.opened!);
    sim.holdExecution();
    const running = await first.say(ann, 'imagine', 'during the restart --steps 2');
    await first.stop();

    // The platform is the same one: the bot restarted, the chat did not.
    const second = await bot(sim, {}, { store, adapter: first.adapter });
    sim.releaseExecution();
    const final = await second.finalOf(running.opened!);
    expect(final.files).toHaveLength(1);
    const before = second.adapter.messages.size;
    await second.press(bob, done.opened!, /🔄|Reroll/);
    await second.adapter.until(() => second.adapter.messages.size > before);
    expect(second.adapter.answers.at(-1)?.text).toBeUndefined();
  });
});
