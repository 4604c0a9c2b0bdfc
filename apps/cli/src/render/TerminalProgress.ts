import type { OutputStream } from '../io.js';
import type { RunEvent } from '../run/RunEvent.js';
import { formatProgressLine, type LineState } from './formatProgressLine.js';
import type { RunRenderer } from './RunRenderer.js';

export interface TerminalProgressOptions {
  /** At most one redraw per this many ms (default 100: ≤ 10 redraws a second). */
  minIntervalMs?: number;
  displayPath?: (path: string) => string;
  now?: () => number;
  /** Per line (index - 1), what it is when not one of the run's own generations: "upscale of #1". */
  labels?: readonly (string | undefined)[];
}

const CLEAR_LINE = '\r\x1b[2K';
const up = (lines: number) => `\x1b[${lines}A`;
const CLEAR_TO_END = '\x1b[J';

/** A live block of one line per generation, redrawn in place (cursor up, rewrite), throttled. */
export class TerminalProgress implements RunRenderer {
  private readonly states: LineState[];
  private readonly labelWidth: number;
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  private drawn = 0;
  private lastDrawAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly stream: OutputStream,
    count: number,
    private readonly options: TerminalProgressOptions = {},
  ) {
    this.states = Array.from({ length: count }, (_, i) => {
      const label = options.labels?.[i];
      return {
        index: i + 1,
        status: 'waiting',
        fraction: 0,
        ...(label !== undefined ? { label } : {}),
      };
    });
    this.labelWidth = `#${count}`.length;
    this.minIntervalMs = options.minIntervalMs ?? 100;
    this.now = options.now ?? Date.now;
  }

  /** The lines as they are now (what the next redraw writes); `whole` for the last draw. */
  lines(whole = false): string[] {
    const width = whole ? Infinity : Math.max(20, (this.stream.columns || 80) - 1);
    return this.states.map((state) => formatProgressLine(state, width, this.labelWidth));
  }

  render(event: RunEvent): void {
    if (this.closed) return;
    const state = this.states[event.index - 1];
    if (!state) return;
    apply(state, event, this.options.displayPath ?? ((path) => path));
    this.schedule();
  }

  printAbove(print: () => void): void {
    if (this.closed || this.drawn === 0) {
      print();
      return;
    }
    this.stream.write(`${up(this.drawn)}\r${CLEAR_TO_END}`);
    this.drawn = 0;
    print();
    this.draw();
  }

  /** The last draw is never redrawn, so it may wrap: saved paths and errors are shown whole. */
  close(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.draw(true);
    this.closed = true;
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = this.lastDrawAt + this.minIntervalMs - this.now();
    if (wait <= 0) {
      this.draw();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.draw();
    }, wait);
  }

  private draw(whole = false): void {
    const moveUp = this.drawn > 0 ? up(this.drawn) : '';
    const body = this.lines(whole)
      .map((line) => `${CLEAR_LINE}${line}\n`)
      .join('');
    this.drawn = this.states.length;
    this.lastDrawAt = this.now();
    this.stream.write(moveUp + body);
  }
}

function apply(state: LineState, event: RunEvent, displayPath: (path: string) => string): void {
  switch (event.type) {
    case 'submitted':
      state.status = 'submitted';
      return;
    case 'queued':
      state.status = 'queued';
      state.position = event.position;
      return;
    case 'started':
      state.status = 'running';
      return;
    case 'progress':
      state.status = 'running';
      state.fraction = event.fraction;
      state.phase = event.phase;
      if (event.step !== null && event.stepTotal !== null) {
        state.step = event.step;
        state.stepTotal = event.stepTotal;
      } else {
        delete state.step;
        delete state.stepTotal;
      }
      return;
    case 'downloading':
      state.status = 'downloading';
      state.fraction = 1;
      return;
    case 'succeeded':
      state.status = 'succeeded';
      state.outputs = event.outputs.map(displayPath);
      return;
    case 'failed':
      state.status = 'failed';
      state.error = event.error.message;
      return;
    case 'cancelled':
      state.status = 'cancelled';
      return;
  }
}
