import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { GenerationRecord } from '@comfyrelay/core';
import type { ExecutionLog, PromptRun } from '../ExecutionLog.js';

/** What the test asked of one generation. */
export interface Plan {
  id: string;
  promptId: string;
  user: string;
  /** A graph that raises on purpose (an execution error a user's graph could cause). */
  failsOnPurpose: boolean;
  cancelRequested: boolean;
}

/** Why a generation did not succeed, or ran again: each an expected, documented end. */
export type Excuse =
  /** Its graph raises on purpose. */
  | 'fails-on-purpose'
  /** We cancelled it. */
  | 'cancelled-by-us'
  /** ComfyUI was running it when that server restarted (queue lost): `lost`. */
  | 'running-at-restart'
  /** ComfyUI was running it when that server died for good: `unreachable` after the grace. */
  | 'running-at-kill'
  /**
   * It finished on a server moments before that server restarted or died, before the relay
   * could hear of it (its socket cut or deaf): the server forgot it (no history), so the relay
   * saw it lost — failed `lost` if it knew it had started, else posted again (a second run).
   */
  | 'ended-unseen-before-restart'
  | 'ended-unseen-before-kill'
  /** Every try at posting it was refused (5xx): `unreachable` after the scheduler's tries. */
  | 'refused-every-try';

export interface Verdict {
  plan: Plan;
  record: GenerationRecord;
  excuse?: Excuse;
  /** Set when the end contradicts what the test knows happened: the suite fails on these. */
  problem?: string;
}

export interface Tally {
  total: number;
  succeeded: number;
  failedByCode: Record<string, number>;
  cancelled: number;
  /** Failures, cancellations and second runs, by their (expected) reason. */
  excused: Record<string, number>;
  /** Generations whose prompt reached more than one server. */
  movedBetweenServers: number;
  /** Generations whose prompt one server accepted twice (posted again after a loss). */
  postedAgainSameServer: number;
  /** Prompts ComfyUI had started, lost to a restart or death, and that ran again. */
  rerunAfterAbandon: number;
  /** How long before its server forgot it each excused unseen end was (ms). */
  unseenEndGapsMs: number[];
  problems: Verdict[];
}

export interface JudgeOptions {
  executions: ExecutionLog;
  /** Each server's output folder (files outlive a restart and the kill). */
  outputDirOf(backend: string): string | undefined;
  /**
   * How soon the relay must hear of an end, even with its socket cut or deaf (about two
   * silence checks, the deaf grace and a history read, with slow answers): an end its server
   * forgot later than this should have been collected already.
   */
  unseenWithinMs: number;
  /**
   * Ends caused by a bug the suite knows about (each has its own failing test): counted apart,
   * not as problems. Returns the bug's name, or undefined.
   */
  knownBug?(record: GenerationRecord, plan: Plan): string | undefined;
  /**
   * An earlier run of a generation's prompt (one that ended, and was followed by another run)
   * explained by a bug the suite knows about: its name, or undefined.
   */
  knownRerun?(plan: Plan, run: PromptRun): string | undefined;
}

/** Judge every generation's end against what the servers did with its prompt. */
export function judge(
  plans: readonly Plan[],
  records: ReadonlyMap<string, GenerationRecord>,
  options: JudgeOptions,
) {
  const { executions } = options;
  const verdicts: Verdict[] = [];
  const knownBugs: Record<string, number> = {};
  /** The prompts each known bug touched. */
  const knownBugPrompts = new Map<string, string>();
  const countBug = (bug: string, promptId: string) => {
    knownBugs[bug] = (knownBugs[bug] ?? 0) + 1;
    knownBugPrompts.set(promptId, bug);
  };
  const gaps: number[] = [];
  const unseen = (promptId: string) =>
    executions.endedBeforeLoss(promptId).filter((end) => end.gapMs <= options.unseenWithinMs);
  const planOf = new Map(plans.map((plan) => [plan.promptId, plan]));
  const bugOfRerun = (run: PromptRun) => {
    const plan = planOf.get(run.promptId);
    return plan ? options.knownRerun?.(plan, run) : undefined;
  };
  const forgiven = (run: PromptRun) =>
    unseen(run.promptId).some((end) => end.run === run) || bugOfRerun(run) !== undefined;
  const rerunBug = (earlier: PromptRun[]) =>
    earlier.map(bugOfRerun).find((bug): bug is string => bug !== undefined);

  for (const plan of plans) {
    const record = records.get(plan.id);
    if (!record) {
      const placeholder: GenerationRecord = {
        id: plan.id,
        promptId: plan.promptId,
        status: 'submitted',
        createdAt: 0,
      };
      verdicts.push({ plan, record: placeholder, problem: 'never ended' });
      continue;
    }
    const verdict: Verdict = { plan, record };
    const runningAt = executions.lost
      .filter((entry) => entry.promptId === plan.promptId && entry.running)
      .map((entry) => entry.cause);
    const unseenEnds = unseen(plan.promptId);
    const unseenCause = unseenEnds[0]?.cause;
    const runs = executions.runsOf(plan.promptId);
    const earlierEnded = runs.slice(0, -1).filter((run) => run.end !== 'abandoned');

    if (record.status === 'succeeded') {
      const run = executions.successOf(plan.promptId);
      const outputDir =
        record.backend === undefined ? undefined : options.outputDirOf(record.backend);
      if (plan.failsOnPurpose) verdict.problem = 'succeeded although its graph raises';
      else if (!run)
        verdict.problem = `its last run did not succeed (${describeRuns(executions, plan.promptId)})`;
      else if (run.sim !== record.backend)
        verdict.problem = `succeeded on ${run.sim}, record says ${record.backend}`;
      else if (earlierEnded.some((earlier) => !forgiven(earlier)))
        verdict.problem = `ran twice (${describeRuns(executions, plan.promptId)})`;
      else if (!record.outputs?.length) verdict.problem = 'succeeded without outputs';
      else if (
        !outputDir ||
        !record.outputs.every((output) =>
          existsSync(join(outputDir, output.file.subfolder, output.file.filename)),
        )
      )
        verdict.problem = 'an output file is missing on its server';
      else if (rerunBug(earlierEnded)) countBug(rerunBug(earlierEnded)!, plan.promptId);
      else if (earlierEnded.length > 0) verdict.excuse = `ended-unseen-before-${unseenCause!}`;
    } else if (record.status === 'cancelled') {
      if (plan.cancelRequested) verdict.excuse = 'cancelled-by-us';
      else verdict.problem = 'cancelled, and nobody asked';
    } else {
      const code = record.error?.code;
      const message = record.error?.message ?? '';
      const bug = options.knownBug?.(record, plan);
      if (bug) countBug(bug, plan.promptId);
      else if (code === 'execution' && plan.failsOnPurpose) verdict.excuse = 'fails-on-purpose';
      else if (code === 'lost' && runningAt.includes('restart'))
        verdict.excuse = 'running-at-restart';
      else if ((code === 'unreachable' || code === 'lost') && runningAt.includes('kill'))
        verdict.excuse = 'running-at-kill';
      else if ((code === 'lost' || code === 'unreachable') && unseenCause)
        verdict.excuse = `ended-unseen-before-${unseenCause}`;
      else if (code === 'unreachable' && /could not take this generation/.test(message))
        verdict.excuse = 'refused-every-try';
      else if (plan.cancelRequested && code === 'execution') verdict.excuse = 'cancelled-by-us';
      else
        verdict.problem = `failed (${code}: ${message}) though it could have been recovered [${describeRuns(executions, plan.promptId)}]`;
      if (!verdict.problem && earlierEnded.some((earlier) => !forgiven(earlier)))
        verdict.problem = `ran twice (${describeRuns(executions, plan.promptId)})`;
      else if (!verdict.problem && !bug && rerunBug(earlierEnded))
        countBug(rerunBug(earlierEnded)!, plan.promptId);
    }
    if (verdict.excuse?.startsWith('ended-unseen'))
      gaps.push(...unseenEnds.map((end) => Math.round(end.gapMs)));
    verdicts.push(verdict);
  }
  return {
    verdicts,
    knownBugs,
    knownBugPrompts,
    ranTwice: executions.ranTwice(forgiven),
    tally: tallyOf(verdicts, executions, gaps),
  };
}

function tallyOf(verdicts: Verdict[], executions: ExecutionLog, gaps: number[]): Tally {
  const tally: Tally = {
    total: verdicts.length,
    succeeded: 0,
    failedByCode: {},
    cancelled: 0,
    excused: {},
    movedBetweenServers: 0,
    postedAgainSameServer: 0,
    rerunAfterAbandon: executions.restartedRuns().length,
    unseenEndGapsMs: gaps.sort((a, b) => a - b),
    problems: verdicts.filter((verdict) => verdict.problem !== undefined),
  };
  const queuedOn = new Map<string, string[]>();
  for (const { sim, promptId } of executions.queued) {
    const sims = queuedOn.get(promptId);
    if (sims) sims.push(sim);
    else queuedOn.set(promptId, [sim]);
  }
  for (const { record, excuse, plan } of verdicts) {
    if (record.status === 'succeeded') tally.succeeded += 1;
    else if (record.status === 'cancelled') tally.cancelled += 1;
    else if (record.status === 'failed') {
      const code = record.error?.code ?? 'unknown';
      tally.failedByCode[code] = (tally.failedByCode[code] ?? 0) + 1;
    }
    if (excuse) tally.excused[excuse] = (tally.excused[excuse] ?? 0) + 1;
    const sims = queuedOn.get(plan.promptId) ?? [];
    if (new Set(sims).size > 1) tally.movedBetweenServers += 1;
    if (sims.length > new Set(sims).size) tally.postedAgainSameServer += 1;
  }
  return tally;
}

/** Where a prompt went: for a problem's message. */
export function describeRuns(executions: ExecutionLog, promptId: string): string {
  const queued = executions.queued
    .filter((entry) => entry.promptId === promptId)
    .map((entry) => entry.sim);
  const runs = executions.runsOf(promptId).map((run) => `${run.sim}:${run.end ?? 'running'}`);
  const lost = executions.lost
    .filter((entry) => entry.promptId === promptId)
    .map((entry) => `${entry.sim}:${entry.running ? 'running' : 'pending'}@${entry.cause}`);
  const forgotten = executions
    .endedBeforeLoss(promptId)
    .map(
      (end) => `${end.run.sim}:${end.run.end} ${Math.round(end.gapMs)} ms before its ${end.cause}`,
    );
  return `queued on [${queued.join(',')}], runs [${runs.join(',')}], lost [${lost.join(',')}], ended before a loss [${forgotten.join(',')}]`;
}
