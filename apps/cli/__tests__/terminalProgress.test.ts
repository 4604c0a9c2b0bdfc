import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  formatProgressLine,
  PlainLog,
  TerminalProgress,
  type LineState,
  type RunEvent,
} from '../src/index.js';
import { Capture } from './helpers/capture.js';

const base = { id: 'g1', promptId: 'p1', index: 1 };

function progress(
  fraction: number,
  step: number | null,
  stepTotal: number | null,
  phase: string,
): RunEvent {
  return {
    type: 'progress',
    ...base,
    fraction,
    step,
    stepTotal,
    node: '3',
    nodeClass: 'KSampler',
    phase,
    etaMs: null,
  };
}

describe('formatProgressLine', () => {
  const line = (state: Partial<LineState>, width = 100) =>
    formatProgressLine({ index: 2, status: 'waiting', fraction: 0, ...state }, width);

  it('shows the queue position in words, not as a number like the generations have', () => {
    expect(line({ status: 'queued', position: 2 })).toBe('#2  queued, position 2');
    expect(line({ status: 'queued', position: 0 })).toBe('#2  starting');
  });

  it('shows the bar, percent, step and phase without repeating the step', () => {
    expect(
      line({ status: 'running', fraction: 0.4, step: 2, stepTotal: 5, phase: 'sampling 2/5' }),
    ).toBe('#2  [████████░░░░░░░░░░░░]   40%  step 2/5  sampling');
    expect(line({ status: 'running', fraction: 0.96, phase: 'decoding' })).toBe(
      '#2  [███████████████████░]   96%  decoding',
    );
  });

  it('ends with the saved paths or the error', () => {
    expect(line({ status: 'succeeded', outputs: ['outputs/a.png', 'outputs/b.png'] })).toBe(
      '#2  done  outputs/a.png, outputs/b.png',
    );
    expect(line({ status: 'failed', error: 'node 1 (KSampler) input "steps": too big' })).toBe(
      '#2  failed  node 1 (KSampler) input "steps": too big',
    );
  });

  it('never wraps: long lines are cut to the width', () => {
    const text = line({ status: 'failed', error: 'x'.repeat(200) }, 40);
    expect([...text]).toHaveLength(40);
    expect(text.endsWith('…')).toBe(true);
  });

  it('pads labels so bars line up past #9', () => {
    expect(formatProgressLine({ index: 3, status: 'cancelled', fraction: 0 }, 80, 3)).toBe(
      '#3   cancelled',
    );
  });
});

describe('TerminalProgress', () => {
  afterEach(() => vi.useRealTimers());

  it('draws one line per generation, then redraws in place with cursor-up', () => {
    const stream = new Capture({ isTTY: true, columns: 80 });
    const view = new TerminalProgress(stream, 2, { minIntervalMs: 0 });
    view.render({ type: 'queued', ...base, position: 1, ahead: 1 });
    expect(stream.chunks).toHaveLength(1);
    expect(stream.chunks[0]).toBe('\r\x1b[2K#1  queued, position 1\n\r\x1b[2K#2  waiting\n');
    view.render(progress(0.5, 3, 6, 'sampling 3/6'));
    expect(
      stream.chunks[1]?.startsWith(
        '\x1b[2A\r\x1b[2K#1  [██████████░░░░░░░░░░]   50%  step 3/6  sampling\n',
      ),
    ).toBe(true);
  });

  it('throttles redraws and always draws the last state on close', () => {
    vi.useFakeTimers();
    let now = 1_000;
    const stream = new Capture({ isTTY: true, columns: 80 });
    const view = new TerminalProgress(stream, 1, { minIntervalMs: 100, now: () => now });
    view.render({ type: 'started', ...base });
    for (let step = 1; step <= 5; step++)
      view.render(progress(step / 5, step, 5, `sampling ${step}/5`));
    expect(stream.chunks).toHaveLength(1);
    now += 100;
    vi.advanceTimersByTime(100);
    expect(stream.chunks).toHaveLength(2);
    expect(stream.chunks[1]).toContain('step 5/5');
    view.render({ type: 'succeeded', ...base, outputs: ['/tmp/x.png'] });
    view.close();
    expect(stream.chunks.at(-1)).toContain('#1  done  /tmp/x.png');
    view.render(progress(1, null, null, 'late'));
    expect(stream.chunks.at(-1)).toContain('done');
  });

  it('on a narrow terminal, cuts lines while it redraws them, and shows the saved paths whole at the end', () => {
    const stream = new Capture({ isTTY: true, columns: 30 });
    const view = new TerminalProgress(stream, 1, { minIntervalMs: 0 });
    const path = 'outputs/a-long-folder-name/ComfyUI_00001_.png';
    view.render({ type: 'succeeded', ...base, outputs: [path] });
    expect(stream.chunks.at(-1)).toBe('\r\x1b[2K#1  done  outputs/a-long-fol…\n');
    view.close();
    expect(stream.chunks.at(-1)).toBe(`\x1b[1A\r\x1b[2K#1  done  ${path}\n`);
  });

  it('moves its lines out of the way for a log line', () => {
    const stream = new Capture({ isTTY: true, columns: 80 });
    const view = new TerminalProgress(stream, 1, { minIntervalMs: 0 });
    view.render({ type: 'started', ...base });
    view.printAbove(() => stream.write('a warning\n'));
    expect(stream.chunks.slice(1)).toEqual([
      '\x1b[1A\r\x1b[J',
      'a warning\n',
      expect.stringContaining('#1  ['),
    ]);
  });
});

describe('PlainLog', () => {
  it('writes one plain line per change of state, not per step', async () => {
    const stream = new Capture();
    const log = new PlainLog(stream);
    const events: RunEvent[] = [
      { type: 'submitted', ...base, seeds: { '3.seed': 42 } },
      { type: 'queued', ...base, position: 2, ahead: 2 },
      { type: 'started', ...base },
      progress(0.1, 1, 5, 'sampling 1/5'),
      progress(0.2, 2, 5, 'sampling 2/5'),
      progress(0.96, null, null, 'decoding'),
      { type: 'failed', ...base, error: { message: 'VAEDecode (node 8) failed: out of memory' } },
    ];
    for (const event of events) await log.render(event);
    expect(stream.lines()).toEqual([
      '#1 submitted as prompt p1 (3.seed=42)',
      '#1 queued at position 2 (2 ahead)',
      '#1 started',
      '#1 sampling (5 steps) 10%',
      '#1 decoding 96%',
      '#1 failed: VAEDecode (node 8) failed: out of memory',
    ]);
  });
});
