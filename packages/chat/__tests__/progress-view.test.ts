import type { RelayEvent } from '@comfyrelay/core';
import { describe, expect, it } from 'vitest';
import {
  applyRelayEvent,
  buildProgressView,
  englishWording as words,
  jobStateOf,
  progressBar,
  renderProgress,
  type JobState,
} from '../src/index.js';
import { JOB_ID, record } from './helpers/records.js';

const T0 = 1_000_000;
const base = { id: JOB_ID, promptId: 'p-1' };

/** Each event one second after the one before, from `from`. */
function play(events: RelayEvent[], state: JobState = jobStateOf(record()), from = T0): JobState {
  return events.reduce(
    (current, event, i) => applyRelayEvent(current, event, from + 1000 * (i + 1)),
    state,
  );
}

const running = play([
  { type: 'queued', position: 1, ahead: 1, ...base },
  { type: 'started', ...base },
  {
    type: 'progress',
    ...base,
    progress: {
      fraction: 0.625,
      phase: 'sampling',
      step: 19,
      stepTotal: 30,
      etaMs: 40_000,
      preview: { mime: 'image/jpeg', data: Buffer.from('jpeg') },
    },
  },
]);

describe('wording', () => {
  it('says how many are ahead, in the right number', () => {
    expect(words.queued(1)).toBe('1 generation is ahead of yours');
    expect(words.queued(3)).toBe('3 generations are ahead of yours');
    expect(words.queued(0)).toBe('Yours is next');
  });

  it('says the time left in words', () => {
    expect(words.timeLeft(2_000)).toBe('a few seconds left');
    expect(words.timeLeft(41_000)).toBe('about 40 s left');
    expect(words.timeLeft(100_000)).toBe('about 2 min left');
    expect(words.timeLeft(2 * 3_600_000 + 20 * 60_000)).toBe('about 2 h 20 min left');
    expect(words.duration(65_000)).toBe('1 min 5 s');
    expect(words.duration(12_400)).toBe('12 s');
  });

  it('says sizes in words', () => {
    expect(words.fileSize(10 * 1024 * 1024)).toBe('10 MB');
    expect(words.fileSize(9.5 * 1024 * 1024)).toBe('9.5 MB');
    expect(words.fileSize(84 * 1024 * 1024)).toBe('84 MB');
    expect(words.fileSize(2048)).toBe('2 KB');
  });
});

describe('the progress bar', () => {
  it('fills to the nearest cell but is never full before the end', () => {
    expect(progressBar(0.625)).toBe('▰▰▰▰▰▱▱▱');
    expect(progressBar(0)).toBe('▱▱▱▱▱▱▱▱');
    expect(progressBar(0.99)).toBe('▰▰▰▰▰▰▰▱');
    expect(progressBar(1)).toBe('▰▰▰▰▰▰▰▰');
    expect(progressBar(Number.NaN)).toBe('▱▱▱▱▱▱▱▱');
  });
});

describe('the progress view', () => {
  it('shows a waiting job’s place in the queue', () => {
    const queued = play([{ type: 'queued', position: 3, ahead: 3, ...base }]);
    const view = buildProgressView(queued, { now: T0 + 5_000, requester: '@ann' });
    expect(view).toMatchObject({
      stage: 'queued',
      title: 'a red fox in the snow',
      requester: '@ann',
      status: '3 generations are ahead of yours',
    });
    expect(view.bar).toBeUndefined();
  });

  it('shows a running job’s bar, step, phase, time so far and time left, and its preview', () => {
    const view = buildProgressView(running, { now: T0 + 27_000 });
    expect(view).toMatchObject({
      stage: 'running',
      status: 'Sampling',
      bar: '▰▰▰▰▰▱▱▱ 62 %',
      step: 'step 19/30',
      phase: 'sampling',
      eta: 'about 40 s left',
      elapsed: '25 s so far',
    });
    expect(view.preview?.data.toString()).toBe('jpeg');
  });

  it('keeps the last preview while later progress has none, and never shows 100 % before the end', () => {
    const later = play(
      [{ type: 'progress', ...base, progress: { fraction: 1, phase: 'decoding' } }],
      running,
    );
    const view = buildProgressView(later, { now: T0 + 30_000 });
    expect(view.preview?.data.toString()).toBe('jpeg');
    expect(view.bar).toBe('▰▰▰▰▰▰▰▱ 99 %');
    expect(view.step).toBeUndefined();
  });

  it('ends done, failed in words, or cancelled, and no late event moves it back', () => {
    const done = play([{ type: 'succeeded', ...base, outputs: [] }], running, T0 + 5_000);
    expect(buildProgressView(done, { now: T0 + 40_000 })).toMatchObject({
      stage: 'succeeded',
      status: 'Done',
      bar: '▰▰▰▰▰▰▰▰ 100 %',
      elapsed: '4 s',
    });
    const late = play(
      [{ type: 'progress', ...base, progress: { fraction: 0.5, phase: 'sampling' } }],
      done,
    );
    expect(late).toBe(done);
    const failed = play(
      [
        {
          type: 'failed',
          ...base,
          error: {
            code: 'execution',
            message: 'KSampler (node 3) failed: CUDA out of memory',
            node: '3',
            nodeClass: 'KSampler',
          },
        },
      ],
      running,
    );
    expect(buildProgressView(failed, { now: T0 }).status).toBe(
      'Your generation failed in KSampler (node 3): CUDA out of memory.',
    );
    const cancelled = play([{ type: 'cancelled', ...base }], running);
    expect(buildProgressView(cancelled, { now: T0 }).status).toBe('Cancelled');
  });

  it('a running job waits again only when it started over; a stale place in a queue changes nothing', () => {
    const stale = play([{ type: 'queued', position: 1, ahead: 1, ...base }], running);
    expect(stale).toBe(running);
    const again = play(
      [{ type: 'queued', position: 2, ahead: 3, startedOver: true, ...base }],
      running,
    );
    expect(again).toMatchObject({ status: 'queued', position: 2, ahead: 3 });
    expect(again.progress).toBeUndefined();
    expect(again.preview).toBeUndefined();
    expect(again.startedAt).toBeUndefined();
    expect(buildProgressView(again, { now: T0 }).status).toBe('3 generations are ahead of yours');
    // …and runs again from the start.
    const restarted = play([{ type: 'started', ...base }], again);
    expect(restarted).toMatchObject({ status: 'running', startedAt: T0 + 1000 });
  });

  it('ignores events of other generations', () => {
    const state = jobStateOf(record());
    expect(applyRelayEvent(state, { type: 'started', id: 'other', promptId: 'x' }, T0)).toBe(state);
  });

  it('cuts a long prompt to fit the title', () => {
    const long = jobStateOf(
      record({ parameters: { prompt: 'a very detailed painting of a fox '.repeat(6) } }),
    );
    const view = buildProgressView(long, { now: T0, titleLength: 40 });
    expect(view.title.length).toBeLessThanOrEqual(40);
    expect(view.title.endsWith('…')).toBe(true);
  });
});

describe('rendering a view', () => {
  const tricky = jobStateOf(
    record({ parameters: { prompt: 'a <b>fox</b> & *stars* _under_ `code` @everyone' } }),
  );
  const view = buildProgressView(
    play(
      [
        {
          type: 'progress',
          ...base,
          progress: { fraction: 0.5, phase: 'sampling 5/10', step: 5, stepTotal: 10 },
        },
      ],
      tricky,
    ),
    {
      now: T0 + 10_000,
      requester: '@ann_b',
    },
  );

  it('as plain text', () => {
    expect(renderProgress(view, 'plain')).toBe(
      'a <b>fox</b> & *stars* _under_ `code` @everyone - @ann_b\nSampling 5/10\n▰▰▰▰▱▱▱▱ 50 % · 9 s so far',
    );
  });

  it('as Discord markdown, the prompt escaped', () => {
    expect(renderProgress(view, 'discord')).toBe(
      '**a \\<b\\>fox\\</b\\> & \\*stars\\* \\_under\\_ \\`code\\` @\u200beveryone** - @ann\\_b\nSampling 5/10\n*▰▰▰▰▱▱▱▱ 50 % · 9 s so far*',
    );
  });

  it('as Telegram HTML, the prompt escaped', () => {
    expect(renderProgress(view, 'telegram-html')).toBe(
      '<b>a &lt;b&gt;fox&lt;/b&gt; &amp; *stars* _under_ `code` @everyone</b> - @ann_b\nSampling 5/10\n<i>▰▰▰▰▱▱▱▱ 50 % · 9 s so far</i>',
    );
  });
});
