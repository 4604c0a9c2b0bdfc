import { describe, expect, it } from 'vitest';
import {
  finalOf,
  isResult,
  labelsOf,
  messageMatching,
  originalMatching,
} from './helpers/messages.js';
import { useWorlds } from './helpers/world.js';

const world = useWorlds();

describe('when things go wrong', () => {
  it('ComfyUI going away mid-job: the same message says so in words', async () => {
    const { discord, sim } = await world({ relay: { unreachableGraceMs: 300 } });
    sim.once('step', () => sim.setStepDelay(60_000));
    const run = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'a storm', steps: 10 },
    });
    await originalMatching(run, (m) => /%/.test(m.content));

    sim.faults.refuseConnections(true);
    sim.faults.dropSockets();

    const final = await finalOf(run);
    expect(final.content).toMatch(/ComfyUI could not be reached/);
    expect(final.content).not.toMatch(/Error|ECONN|\bat \w+ \(/);
    expect(labelsOf(final)).toEqual([]);
  });

  it('an output over the upload limit is fitted to what the server accepts', async () => {
    const limit = 6_000;
    const { discord, bot } = await world({ discord: { uploadLimitBytes: limit } });
    const run = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'a detailed city', steps: 2, width: 2048, height: 2048 },
    });
    const final = await originalMatching(run, isResult);
    const [file] = final.attachments;
    expect(file?.size).toBeLessThanOrEqual(limit);
    expect(file?.contentType).toMatch(/^image\/(jpeg|webp)$/);
    const [record] = await bot.relay.history({ limit: 1 });
    expect((await bot.relay.readOutput(record!.outputs![0]!)).length).toBeGreaterThan(limit);
    expect(discord.requests.filter((r) => r.status === 413)).toEqual([]);
  });

  it('a storm of 429s: 20 jobs from 5 users all end with their result, and no 429 was avoidable', async () => {
    const { discord } = await world();
    discord.rateLimits.script('webhook-original-edit', { count: 30, retryAfterMs: 250 });
    const users = ['ann', 'bob', 'cem', 'dai', 'eve'];
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        discord.slashCommand({
          name: 'imagine',
          user: { username: users[i % users.length]! },
          options: { prompt: `storm ${i}`, steps: 2 },
        }),
      ),
    );

    const finals = await Promise.all(runs.map((run) => originalMatching(run, isResult)));
    expect(finals.map((final) => final.content.match(/storm \d+/)?.[0])).toEqual(
      runs.map((_, i) => `storm ${i}`),
    );
    expect(discord.tooManyRequests.filter((r) => r.scripted).length).toBeGreaterThan(0);
    expect(discord.tooManyRequests.filter((r) => r.avoidable)).toEqual([]);
    expect(discord.tooManyRequests.filter((r) => !r.scripted)).toEqual([]);
  });

  it('the gateway dropping mid-job: discord.js resumes, the job ends, a command sent meanwhile is answered', async () => {
    const { discord, sim } = await world();
    sim.once('step', () => sim.setStepDelay(60_000));
    const before = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'before the drop', steps: 4 },
    });
    await originalMatching(before, (m) => /%/.test(m.content));
    const resumed = discord.nextEvent('resume');

    discord.dropGateway();
    const during = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'during the drop', steps: 2 },
    });
    expect(await resumed).toMatchObject({ accepted: true, replayed: 1 });
    sim.setStepDelay(1);

    expect(isResult(await finalOf(before))).toBe(true);
    expect(isResult(await finalOf(during))).toBe(true);
    expect(discord.identifies).toHaveLength(1);
  });

  it('a job older than its interaction token ends in a channel message replying to the request', async () => {
    const { discord } = await world({ tuning: { tokenMaxAgeMs: 0 } });
    const run = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'a very long job', steps: 2 },
    });
    await run.response();
    run.expireToken();

    const request = run.original()!;
    // Born as the result, or a preview first then edited to it: the result, with its buttons.
    const result = await messageMatching(
      discord,
      (m) =>
        m.reference?.messageId === request.id &&
        m.attachments.length > 0 &&
        labelsOf(m).includes('🔄'),
      'the result replying to the request',
    );
    expect(result.content).toContain('a very long job');
    expect(labelsOf(result)).toContain('🔄');
    // The request keeps its first line and loses its Cancel button, once the move is done.
    const trimmed = await messageMatching(
      discord,
      (m) => m.id === request.id && labelsOf(m).length === 0,
      'the request trimmed to what was asked',
    );
    expect(trimmed.content).toContain('a very long job');
    expect(
      discord.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/webhooks/')),
    ).toEqual([]);
    expect(discord.requests.filter((r) => r.status === 401)).toEqual([]);
  });
});
