import type { CliIO } from '../io.js';
import { displayPath } from './displayPath.js';
import { JsonLines } from './JsonLines.js';
import { PlainLog } from './PlainLog.js';
import type { RunRenderer } from './RunRenderer.js';
import { TeeRenderer } from './TeeRenderer.js';
import { TerminalProgress } from './TerminalProgress.js';

/** --json → JSON lines; a terminal → a live view; else plain lines (results on stdout, live view on a terminal stderr). */
export function chooseRenderer(json: boolean, io: CliIO, count: number): RunRenderer {
  if (json) return new JsonLines(io.stdout);
  const show = (path: string) => displayPath(path, io.cwd);
  // A terminal that does not know its size says 0 rows.
  const fits = (rows: number | undefined) => !rows || count < rows;
  if (io.stdout.isTTY && fits(io.stdout.rows))
    return new TerminalProgress(io.stdout, count, { displayPath: show });
  if (!io.stdout.isTTY && io.stderr.isTTY && fits(io.stderr.rows)) {
    return new TeeRenderer([
      new TerminalProgress(io.stderr, count, { displayPath: show }),
      new PlainLog(io.stdout, { displayPath: show, finalOnly: true }),
    ]);
  }
  return new PlainLog(io.stdout, { displayPath: show });
}
