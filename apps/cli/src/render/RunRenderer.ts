import type { RunEvent } from '../run/RunEvent.js';

/** Shows a run's events: JSON lines, plain log lines or a live terminal view. */
export interface RunRenderer {
  /** May return the pending write, so the broadcaster sees a stuck stdout. */
  render(event: RunEvent): void | Promise<void>;
  /** Last redraw; stops timers. */
  close(): void | Promise<void>;
  /** Print a log line on stderr without tearing the live view (terminal renderers move their lines). */
  printAbove?(print: () => void): void;
}
