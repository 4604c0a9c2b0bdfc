import { ComfyRelay, delay, type Generation, type Logger } from '@comfyrelay/core';
import { whenAborted } from '../abort.js';
import { messageOf } from '../errors.js';
import type { CliIO } from '../io.js';
import type { RunRenderer } from '../render/RunRenderer.js';
import { saveOutputs } from '../saveOutputs.js';
import type { PlannedGeneration } from '../workflowFile.js';
import { RunReporter, runOrigin } from './RunReporter.js';

/** The relay's deadline counts queue time too; a CLI user watches the run and can press Ctrl-C. */
const RUN_DEADLINE_MS = 24 * 60 * 60_000;
/** Output is this command's whole point: give a slow stdout reader (a pager, `| jq`) plenty of time. */
const OUTPUT_SEND_TIMEOUT_MS = 60_000;
const CANCEL_WAIT_MS = 5_000;

type Outcome = 'succeeded' | 'failed' | 'cancelled';

export interface RunSetup {
  urls: string[];
  plan: PlannedGeneration[];
  outDir: string;
  renderer: RunRenderer;
  logger: Logger;
  io: CliIO;
}

/**
 * Submits every planned generation at once on one relay, renders their events, saves their
 * outputs; resolves with the exit status (0 all succeeded, 1 any did not, 130 interrupted).
 */
export async function runGenerations({
  urls,
  plan,
  outDir,
  renderer,
  logger,
  io,
}: RunSetup): Promise<number> {
  const relay = new ComfyRelay(
    { backends: urls.map((url) => ({ url })), deadlineMs: RUN_DEADLINE_MS },
    logger,
  );
  const reporter = new RunReporter(
    renderer,
    plan.map((planned) => planned.seeds),
    (reason) => logger.warn(`live output stopped: ${reason.message}`),
  );
  const subscription = relay.events.subscribe(reporter.sink, {
    name: 'comfyrelay run output',
    sendTimeoutMs: OUTPUT_SEND_TIMEOUT_MS,
  });
  await relay.start();
  try {
    const runOne = async (planned: PlannedGeneration, index: number): Promise<Outcome> => {
      let generation: Generation;
      try {
        generation = await relay.submit(planned.graph, { origin: runOrigin(index) });
      } catch (error) {
        // Once a generation exists the relay reports its failure (a refused workflow, say) as an event.
        await subscription.drained();
        if (!reporter.wasSubmitted(index))
          await reporter.failed(undefined, index, { message: messageOf(error), code: 'submit' });
        return 'failed';
      }
      const record = await generation.done;
      if (record.status !== 'succeeded')
        return record.status === 'cancelled' ? 'cancelled' : 'failed';
      let paths: string[];
      try {
        paths = await saveOutputs(
          record.outputs ?? [],
          (output) => relay.readOutput(output),
          outDir,
        );
      } catch (error) {
        await subscription.drained();
        await reporter.failed(generation, index, {
          message: `ComfyUI finished, but the outputs could not be saved: ${messageOf(error)}`,
          code: 'save',
        });
        return 'failed';
      }
      // Every progress line of this generation goes out before its last line.
      await subscription.drained();
      await reporter.succeeded(generation, index, paths);
      return 'succeeded';
    };

    const all = Promise.all(plan.map((planned, i) => runOne(planned, i + 1)));
    const outcome = await Promise.race([
      all,
      whenAborted(io.signal).then(() => 'aborted' as const),
    ]);
    if (outcome === 'aborted') {
      logger.warn('interrupted: cancelling the generations still running or queued');
      await cancelEverything(relay);
    }
    await subscription.drained();
    if (outcome === 'aborted') return 130;
    return outcome.every((result) => result === 'succeeded') ? 0 : 1;
  } finally {
    subscription.unsubscribe();
    await relay.stop();
  }
}

/** Leave nothing behind on a shared ComfyUI: delete what is queued, interrupt what runs. */
async function cancelEverything(relay: ComfyRelay): Promise<void> {
  const cancels = relay.registry
    .active()
    .map((generation) => relay.cancel(generation.id).catch(() => false));
  await Promise.race([Promise.all(cancels), delay(CANCEL_WAIT_MS)]);
}
