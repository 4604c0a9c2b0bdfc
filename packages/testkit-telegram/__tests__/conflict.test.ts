import { GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { useHarness } from './helpers/harness.js';
import { alice, aliceChat } from './helpers/people.js';

const harness = useHarness();

const TERMINATED =
  'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';

describe('getUpdates conflicts', () => {
  it('a second long poll ends the runner with 409, like a second bot instance', async () => {
    const telegram = await harness.start();
    const bot = harness.bot(telegram);
    const polling = telegram.nextEvent('long-poll');
    const runner = harness.run(bot);
    await polling;

    const intruder = harness.bot(telegram);
    const controller = new AbortController();
    // grammY types its signal parameter with the abort-controller polyfill; Node's is compatible.
    const signal = controller.signal as unknown as Parameters<typeof intruder.api.getUpdates>[1];
    const intruding = intruder.api.getUpdates({ timeout: 30 }, signal);
    const failure = await runner.task()!.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GrammyError);
    expect(failure).toMatchObject({ error_code: 409, description: TERMINATED });
    expect(runner.isRunning()).toBe(false);

    // The newer request is the one being served.
    const update = telegram.sendText({ chat: aliceChat, from: alice, text: 'who gets this?' });
    expect(await intruding).toMatchObject([{ update_id: update.update!.update_id }]);
    controller.abort();
  });

  it('a poll with timeout 0 does not disturb a waiting one', async () => {
    const telegram = await harness.start();
    const base = `${telegram.apiRoot}/bot${telegram.token}`;
    const polling = telegram.nextEvent('long-poll');
    const waiting = fetch(`${base}/getUpdates?timeout=20`);
    await polling;
    const quick = await fetch(`${base}/getUpdates?timeout=0`);
    expect(await quick.json()).toEqual({ ok: true, result: [] });
    telegram.sendText({ chat: aliceChat, from: alice, text: 'wake up' });
    const answer = (await (await waiting).json()) as { result: unknown[] };
    expect(answer.result).toHaveLength(1);
  });

  it('two raw long polls: the older one gets 409', async () => {
    const telegram = await harness.start();
    const base = `${telegram.apiRoot}/bot${telegram.token}`;
    const polling = telegram.nextEvent('long-poll');
    const older = fetch(`${base}/getUpdates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ timeout: 20 }),
    });
    await polling;
    const newer = fetch(`${base}/getUpdates?timeout=20`);
    const olderAnswer = await older;
    expect(olderAnswer.status).toBe(409);
    expect(await olderAnswer.json()).toEqual({
      ok: false,
      error_code: 409,
      description: TERMINATED,
    });
    telegram.sendText({ chat: aliceChat, from: alice, text: 'for the newer one' });
    expect((await newer).status).toBe(200);
  });
});
