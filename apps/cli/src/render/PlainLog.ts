import { writeTo, type OutputStream } from '../io.js';
import type { RunEvent } from '../run/RunEvent.js';
import { phaseWithoutStep } from './displayPath.js';
import type { RunRenderer } from './RunRenderer.js';

export interface PlainLogOptions {
  /** How a saved path is shown (default: as is). */
  displayPath?: (path: string) => string;
  /** Only the last line of each generation (a live view shows the rest elsewhere). */
  finalOnly?: boolean;
}

/** Not a terminal and not `--json`: one plain line per change of state, no ANSI codes. */
export class PlainLog implements RunRenderer {
  private readonly phases = new Map<number, string>();

  constructor(
    private readonly stream: OutputStream,
    private readonly options: PlainLogOptions = {},
  ) {}

  render(event: RunEvent): Promise<void> | void {
    const line = this.lineFor(event);
    if (line === undefined) return;
    return writeTo(this.stream, `#${event.index} ${line}\n`);
  }

  close(): void {}

  private lineFor(event: RunEvent): string | undefined {
    const show = this.options.displayPath ?? ((path: string) => path);
    const final =
      event.type === 'succeeded' || event.type === 'failed' || event.type === 'cancelled';
    if (this.options.finalOnly && !final) return undefined;
    switch (event.type) {
      case 'submitted': {
        const seeds = Object.entries(event.seeds).map(([input, seed]) => `${input}=${seed}`);
        return `submitted as prompt ${event.promptId ?? '?'}${seeds.length > 0 ? ` (${seeds.join(', ')})` : ''}`;
      }
      case 'queued':
        return event.position > 0 ? `queued #${event.position} (${event.ahead} ahead)` : undefined;
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
