import { writeTo, type OutputStream } from '../io.js';
import type { RunEvent } from '../run/RunEvent.js';
import { phaseWithoutStep } from './displayPath.js';
import type { RunRenderer } from './RunRenderer.js';

export interface PlainLogOptions {
  /** How a saved path is shown (default: as is). */
  displayPath?: (path: string) => string;
  /** Only the last line of each generation (a live view shows the rest elsewhere). */
  finalOnly?: boolean;
  /** Per line (index - 1), what it is when not one of the run's own generations: "upscale of #1". */
  labels?: readonly (string | undefined)[];
}

/** Not a terminal and not `--json`: one plain line per change of state, no ANSI codes. */
export class PlainLog implements RunRenderer {
  private readonly phases = new Map<number, string>();
  /** Follow-ups, by index: "upscale of #1" (learnt from their submitted event). */
  private readonly labels = new Map<number, string>();

  constructor(
    private readonly stream: OutputStream,
    private readonly options: PlainLogOptions = {},
  ) {
    options.labels?.forEach((label, i) => {
      if (label !== undefined) this.labels.set(i + 1, label);
    });
  }

  render(event: RunEvent): Promise<void> | void {
    if (event.type === 'submitted' && event.action !== undefined)
      this.labels.set(event.index, `${event.action} of #${event.of ?? '?'}`);
    const line = this.lineFor(event);
    if (line === undefined) return;
    const label = this.labels.get(event.index);
    return writeTo(this.stream, `#${event.index} ${label ? `${label}: ` : ''}${line}\n`);
  }

  close(): void {}

  private lineFor(event: RunEvent): string | undefined {
    const show = this.options.displayPath ?? ((path: string) => path);
    const final =
      event.type === 'succeeded' || event.type === 'failed' || event.type === 'cancelled';
    if (this.options.finalOnly && !final) return undefined;
    switch (event.type) {
      case 'submitted': {
        const notes = Object.entries(event.seeds).map(([input, seed]) => `${input}=${seed}`);
        if (event.workflow !== undefined) notes.unshift(event.workflow);
        return `submitted as prompt ${event.promptId ?? '?'}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
      }
      case 'queued':
        return event.position > 0
          ? `queued at position ${event.position} (${event.ahead} ahead)`
          : undefined;
      case 'started':
        return 'started';
      case 'progress': {
        // Only a new phase is a change of state: no line per sampler step.
        const phase = phaseWithoutStep(event.phase, event.step, event.stepTotal);
        if (phase === 'done' || this.phases.get(event.index) === phase) return undefined;
        this.phases.set(event.index, phase);
        const steps = event.stepTotal != null ? ` (${event.stepTotal} steps)` : '';
        return `${phase}${steps} ${Math.floor(event.fraction * 100)}%`;
      }
      case 'downloading':
        return 'downloading outputs';
      case 'succeeded':
        return `done: ${event.outputs.map(show).join(', ')}`;
      case 'failed':
        return `failed: ${event.error.message}`;
      case 'cancelled':
        return 'cancelled';
    }
  }
}
