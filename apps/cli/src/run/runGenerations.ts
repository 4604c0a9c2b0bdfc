import {
  createRelay,
  delay,
  ParameterError,
  type ComfyRelay,
  type GenerationHandle,
  type GenerationRecord,
  type Logger,
} from '@comfyrelay/core';
import { whenAborted } from '../abort.js';
import { messageOf } from '../errors.js';
import { describeFileProblem } from '../fileProblem.js';
import { describeInterruption, interruptedStatus } from '../interruption.js';
import type { CliIO } from '../io.js';
import type { RunRenderer } from '../render/RunRenderer.js';
import { saveOutputs } from '../saveOutputs.js';
import type { SubmittedDetails } from './RunEvent.js';
import { RunReporter, runOrigin } from './RunReporter.js';

/** The relay's deadline counts queue time too; a CLI user watches the run and can press Ctrl-C. */
export const RUN_DEADLINE_MS = 24 * 60 * 60_000;
/** Output is this command's whole point: give a slow stdout reader (a pager, `| jq`) plenty of time. */
const OUTPUT_SEND_TIMEOUT_MS = 60_000;
const CANCEL_WAIT_MS = 5_000;

type Outcome = 'succeeded' | 'failed' | 'cancelled';

/** One generation of a run: one line of its output. */
export interface RunJob {
  /** 1-based number of the generation in this run (its line, its `index` in JSON). */
  index: number;
  /**
   * Submits it: `relay.submit` of a graph (`run`), `relay.generate` of a workflow, or
   * `relay.runAction` on `parent`, the finished result a follow-up works on (`generate --action`).
   */
  submit(
    relay: ComfyRelay,
    origin: Record<string, unknown>,
    parent: GenerationRecord | undefined,
  ): Promise<GenerationHandle>;
  /** What its `submitted` line says besides the ids (the seeds chosen …). */
  details(record: GenerationRecord): SubmittedDetails;
  /** Run on this job's result once it succeeded and its files are saved; skipped otherwise. */
  followUps?: RunJob[];
}

export interface RunSetup {
  /** Created by the command (plugins registered); started here, stopped by the command. */
  relay: ComfyRelay;
  jobs: RunJob[];
  /** The command, for the generations' origin (`{ cli, index }`). */
  command: string;
  outDir: string;
  renderer: RunRenderer;
  logger: Logger;
  io: CliIO;
}

/** A relay for a CLI run: one connection per server, no deadline a person watching would hit. */
export function createRunRelay(urls: string[], logger: Logger): ComfyRelay {
  return createRelay(
    { backends: urls.map((url) => ({ url })), deadlineMs: RUN_DEADLINE_MS },
    { logger },
  );
}

/**
 * Submits every job at once on one relay (follow-ups as soon as the result they work on is
 * saved), renders their events, saves their outputs; resolves with the exit status (0 all
 * succeeded, 1 any did not; when stopped, what is in flight is cancelled first: 130 Ctrl-C,
 * 143 SIGTERM, 141 stdout closed). Shared by `run` and `generate`.
 */
export async function runGenerations({
  relay,
  jobs,
  command,
  outDir,
  renderer,
  logger,
  io,
}: RunSetup): Promise<number> {
  const byIndex = new Map<number, RunJob>();
  const collect = (list: readonly RunJob[]) => {
    for (const job of list) {
      byIndex.set(job.index, job);
      collect(job.followUps ?? []);
    }
  };
  collect(jobs);
  const reporter = new RunReporter(
    renderer,
    (index, record) => byIndex.get(index)?.details(record) ?? { seeds: {} },
    (reason) => logger.warn(`live output stopped: ${reason.message}`),
  );
  const subscription = relay.subscribe(reporter.sink, {
    name: `comfyrelay ${command} output`,
    sendTimeoutMs: OUTPUT_SEND_TIMEOUT_MS,
  });
  let aborted = false;
  try {
    await relay.start();
    const runOne = async (
      job: RunJob,
      parent: GenerationRecord | undefined,
    ): Promise<{ outcome: Outcome; record?: GenerationRecord }> => {
      let generation: GenerationHandle;
      try {
        generation = await job.submit(relay, runOrigin(job.index, command), parent);
      } catch (error) {
        // Once a generation exists the relay reports its failure (a refused workflow, say) as an event.
        await subscription.drained();
        if (!reporter.wasSubmitted(job.index)) {
          await reporter.failed(undefined, job.index, {
            message: messageOf(error),
            code: error instanceof ParameterError ? 'parameters' : 'submit',
          });
        }
        return { outcome: 'failed' };
      }
      const record = await generation.done;
      if (record.status !== 'succeeded')
        return { outcome: record.status === 'cancelled' ? 'cancelled' : 'failed', record };
      let paths: string[];
      try {
        paths = await saveOutputs(
          record.outputs ?? [],
          (output) => relay.readOutput(output),
          outDir,
        );
      } catch (error) {
        await subscription.drained();
        await reporter.failed(generation, job.index, {
          message: `ComfyUI finished, but the outputs could not be saved: ${whySaveFailed(error, outDir)}`,
          code: 'save',
        });
        return { outcome: 'failed', record };
      }
      // Every progress line of this generation goes out before its last line.
      await subscription.drained();
      await reporter.succeeded(generation, job.index, paths);
      return { outcome: 'succeeded', record };
    };

    const runTree = async (
      job: RunJob,
      parent: GenerationRecord | undefined,
    ): Promise<Outcome[]> => {
      const { outcome, record } = await runOne(job, parent);
      const followUps = job.followUps ?? [];
      if (followUps.length === 0) return [outcome];
      if (aborted) return [outcome, ...followUps.map(() => 'cancelled' as const)];
      if (outcome !== 'succeeded' || !record) {
        const skipped = descendants(followUps);
        const why = outcome === 'cancelled' ? 'was cancelled' : 'failed';
        for (const follow of skipped)
          await reporter.skipped(follow.index, `not run: #${job.index} ${why}`);
        return [outcome, ...skipped.map(() => 'failed' as const)];
      }
      const rest = await Promise.all(followUps.map((follow) => runTree(follow, record)));
      return [outcome, ...rest.flat()];
    };

    const all = Promise.all(jobs.map((job) => runTree(job, undefined)));
    const outcome = await Promise.race([
      all,
      whenAborted(io.signal).then(() => 'aborted' as const),
    ]);
    if (outcome === 'aborted') {
      aborted = true;
      logger.warn(
        `${describeInterruption(io.signal)}: cancelling the generations still running or queued`,
      );
      await cancelEverything(relay);
    }
    await subscription.drained();
    if (outcome === 'aborted') return interruptedStatus(io.signal);
    return outcome.flat().every((result) => result === 'succeeded') ? 0 : 1;
  } finally {
    subscription.unsubscribe();
  }
}

function descendants(jobs: readonly RunJob[]): RunJob[] {
  return jobs.flatMap((job) => [job, ...descendants(job.followUps ?? [])]);
}

/** Leave nothing behind on a shared ComfyUI: delete what is queued, interrupt what runs. */
async function cancelEverything(relay: ComfyRelay): Promise<void> {
  const cancels = relay.active().map((record) => relay.cancel(record.id).catch(() => false));
  await Promise.race([Promise.all(cancels), delay(CANCEL_WAIT_MS)]);
}

/** A disk's refusal in words ("the disk holding … is full"); a download's as core says it. */
function whySaveFailed(error: unknown, outDir: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code)
    ? describeFileProblem(error, outDir, 'write')
    : messageOf(error);
}
