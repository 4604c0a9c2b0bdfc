import type { MessageUpdater } from '@comfyrelay/chat';
import type { ComfyRelay } from '@comfyrelay/core';

/** Results finished while the platform drained, recent enough to still be on their way. */
const RECENT = 200;

/**
 * Waits (at most `timeoutMs`) until the results of finished jobs are shown: the platform lets
 * running jobs finish before it stops the bot, and their last edit must not be cut off.
 */
export async function waitForFinals(
  relay: ComfyRelay,
  updater: MessageUpdater,
  timeoutMs: number,
): Promise<void> {
  if (updater.following === 0) return;
  const finished = await relay.history({ limit: RECENT, finished: true }).catch(() => []);
  const showing = finished.flatMap((record) => {
    const job = updater.job(record.id);
    return job ? [job.finished] : [];
  });
  if (showing.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([Promise.all(showing), deadline]);
  clearTimeout(timer);
}
