import type { ExecutionLog } from '../ExecutionLog.js';
import type { LogEntry } from './RecordingLogger.js';

export interface TimelineSources {
  executions: ExecutionLog;
  /** Faults the cluster injected. */
  faults: readonly { at: number; node: string; what: string }[];
  /** The relay's log. */
  log: readonly LogEntry[];
  /** Relay events worth a line: lifecycle of generations, backend state changes. */
  relay: readonly { at: number; text: string; id?: string; backend?: string }[];
  /** `performance.now()` at the start of the run: times are printed from it. */
  origin: number;
}

/**
 * Everything that happened around one generation, in order: where its prompt was queued, ran
 * and ended on each server, what the relay said and logged about it, and the faults and
 * connection changes of the servers involved from a second before to a second after. What a
 * problem's message needs to tell a relay bug from a fault the test did not account for.
 */
export function timelineOf(id: string, promptId: string, sources: TimelineSources): string[] {
  const lines: { at: number; text: string }[] = [];
  const { executions } = sources;
  const sims = new Set<string>();
  for (const entry of executions.queued)
    if (entry.promptId === promptId) {
      sims.add(entry.sim);
      lines.push({ at: entry.at, text: `${entry.sim}: queued` });
    }
  for (const run of executions.runsOf(promptId)) {
    lines.push({ at: run.startedAt, text: `${run.sim}: started` });
    if (run.endedAt !== undefined) lines.push({ at: run.endedAt, text: `${run.sim}: ${run.end}` });
  }
  for (const event of sources.relay)
    if (event.id === id) lines.push({ at: event.at, text: `relay: ${event.text}` });
  for (const entry of sources.log)
    if (entry.context?.['id'] === id)
      lines.push({ at: entry.at, text: `log ${entry.level}: ${entry.message}` });
  if (lines.length === 0) return [];
  const times = lines.map((line) => line.at);
  const from = Math.min(...times) - 1_000;
  const to = Math.max(...times) + 1_000;
  for (const fault of sources.faults)
    if (sims.has(fault.node) && fault.at >= from && fault.at <= to)
      lines.push({ at: fault.at, text: `fault ${fault.node}: ${fault.what}` });
  for (const loss of executions.losses)
    if (sims.has(loss.sim) && loss.at >= from && loss.at <= to)
      lines.push({ at: loss.at, text: `${loss.sim}: ${loss.cause}` });
  for (const event of sources.relay)
    if (
      event.backend !== undefined &&
      sims.has(event.backend) &&
      event.at >= from &&
      event.at <= to
    )
      lines.push({ at: event.at, text: `relay: ${event.text}` });
  for (const entry of sources.log)
    if (
      entry.context?.['id'] === undefined &&
      typeof entry.context?.['backend'] === 'string' &&
      sims.has(entry.context['backend']) &&
      entry.at >= from &&
      entry.at <= to
    )
      lines.push({ at: entry.at, text: `log ${entry.level}: ${entry.message}` });
  return lines
    .sort((a, b) => a.at - b.at)
    .map((line) => `${((line.at - sources.origin) / 1000).toFixed(3)}s ${line.text}`);
}
