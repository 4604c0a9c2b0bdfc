import type { FairQueue, QueuedJob } from '../../../../packages/core/dist/scheduling/FairQueue.js';
import type { PositionBoard } from '../../../../packages/core/dist/scheduling/PositionBoard.js';
import type { Scheduler } from '../../../../packages/core/dist/scheduling/Scheduler.js';

/**
 * Core's scheduling classes are internal (neither `@comfyrelay/core` nor `/protocol` exports
 * them, and they stay so): the benchmark loads them from core's BUILT files, next to the entry
 * its package resolves to. Only here, only for measuring.
 */
export interface CoreScheduling {
  FairQueue: new <J extends QueuedJob>() => FairQueue<J>;
  Scheduler: typeof Scheduler;
  PositionBoard: typeof PositionBoard;
}

export type { FairQueue, PositionBoard, QueuedJob, Scheduler };

export async function loadCoreScheduling(): Promise<CoreScheduling> {
  const entry = import.meta.resolve('@comfyrelay/core');
  const load = (path: string) => import(new URL(path, entry).href) as Promise<unknown>;
  const [fair, scheduler, board] = await Promise.all([
    load('./scheduling/FairQueue.js'),
    load('./scheduling/Scheduler.js'),
    load('./scheduling/PositionBoard.js'),
  ]);
  return {
    FairQueue: (fair as { FairQueue: CoreScheduling['FairQueue'] }).FairQueue,
    Scheduler: (scheduler as { Scheduler: typeof Scheduler }).Scheduler,
    PositionBoard: (board as { PositionBoard: typeof PositionBoard }).PositionBoard,
  };
}
