import type { CliIO } from '../io.js';
import { displayPath } from './displayPath.js';
import { JsonLines } from './JsonLines.js';
import { PlainLog } from './PlainLog.js';
import type { RunRenderer } from './RunRenderer.js';
import { TeeRenderer } from './TeeRenderer.js';
import { TerminalProgress } from './TerminalProgress.js';

/**
 * --json → JSON lines; a terminal → a live view; else plain lines (results on stdout, live view
 * on a terminal stderr). `labels` name the lines that are follow-ups ("upscale of #1").
 */
export function chooseRenderer(
  json: boolean,
  io: CliIO,
  count: number,
  labels?: readonly (string | undefined)[],
): RunRenderer {
  if (json) return new JsonLines(io.stdout);
  const show = (path: string) => displayPath(path, io.cwd);
  const live = { displayPath: show, ...(labels ? { labels } : {}) };
  // A terminal that does not know its size says 0 rows.
  const fits = (rows: number | undefined) => !rows || count < rows;
  if (io.stdout.isTTY && fits(io.stdout.rows)) return new TerminalProgress(io.stdout, count, live);
  if (!io.stdout.isTTY && io.stderr.isTTY && fits(io.stderr.rows)) {
    return new TeeRenderer([
      new TerminalProgress(io.stderr, count, live),
      new PlainLog(io.stdout, { ...live, finalOnly: true }),
    ]);
  }
  return new PlainLog(io.stdout, live);
}
