import type { ComfySimulator } from '@comfyrelay/comfyui-sim';

/** How one run of a prompt on one simulator ended. */
export type RunEnd =
  | 'success'
  | 'error'
  | 'interrupted'
  /** Its server restarted or died while it ran: no end, no history entry. */
  | 'abandoned';

export interface PromptRun {
  sim: string;
  promptId: string;
  /** `performance.now()` when it started. */
  startedAt: number;
  /** Set once it ended; unset while it runs. */
  end?: RunEnd;
  endedAt?: number;
}

/** Why a simulator lost what it held. */
export type LossCause = 'restart' | 'kill';

/**
 * What every simulator did with every prompt, from its own events, across restarts and deaths:
 * a simulator's `/history` forgets everything on a restart and a dead one answers nothing, and
 * it is keyed by prompt_id (a prompt run twice would show once), so "ran once" is judged here.
 */
export class ExecutionLog {
  /** Every `prompt-queued`, in order: which simulator accepted which prompt. */
  readonly queued: { sim: string; promptId: string; at: number }[] = [];
  readonly runs = new Map<string, PromptRun[]>();
  /** Prompts a simulator held (running or pending) when it restarted or died, by cause. */
  readonly lost: { sim: string; promptId: string; running: boolean; cause: LossCause }[] = [];
  /** When each server restarted or died (`performance.now()`). */
  readonly losses: { sim: string; cause: LossCause; at: number }[] = [];
  private readonly current = new Map<string, PromptRun>();
  private readonly sims = new Map<string, ComfySimulator>();

  /** Record `sim`'s events under `name` from now on. */
  watch(name: string, sim: ComfySimulator): void {
    this.sims.set(name, sim);
    sim.on(
      'prompt-queued',
      ({ promptId }) => void this.queued.push({ sim: name, promptId, at: performance.now() }),
    );
    sim.on('execution-start', ({ promptId }) => {
      const run: PromptRun = { sim: name, promptId, startedAt: performance.now() };
      const runs = this.runs.get(promptId);
      if (runs) runs.push(run);
      else this.runs.set(promptId, [run]);
      this.current.set(name, run);
    });
    sim.on('execution-end', ({ promptId, status }) => {
      const run = this.current.get(name);
      if (!run || run.promptId !== promptId) return;
      run.end = status;
      run.endedAt = performance.now();
      this.current.delete(name);
    });
  }

  /**
   * Call right BEFORE restarting or stopping a simulator (synchronously with it): what it runs
   * is abandoned, what waits on its queue is dropped. Returns what it lost.
   */
  losing(name: string, cause: LossCause): { running: string[]; pending: string[] } {
    const sim = this.sims.get(name);
    if (!sim) throw new Error(`no simulator ${name}`);
    const { running, pending } = sim.queueSnapshot();
    const at = performance.now();
    this.losses.push({ sim: name, cause, at });
    const run = this.current.get(name);
    if (run) {
      run.end = 'abandoned';
      run.endedAt = at;
      this.current.delete(name);
    }
    for (const promptId of running) this.lost.push({ sim: name, promptId, running: true, cause });
    for (const promptId of pending) this.lost.push({ sim: name, promptId, running: false, cause });
    return { running, pending };
  }

  /**
   * Runs that ended (success or error) on a server that restarted or died later, `withinMs` of
   * its end: the relay may not have heard of that end yet (a cut socket, a deaf one) when the
   * server forgot it (its history is gone with the restart or the death).
   */
  endedBeforeLoss(promptId: string): { run: PromptRun; cause: LossCause; gapMs: number }[] {
    const found: { run: PromptRun; cause: LossCause; gapMs: number }[] = [];
    for (const run of this.runsOf(promptId)) {
      if (run.end === undefined || run.end === 'abandoned' || run.endedAt === undefined) continue;
      const loss = this.losses.find((entry) => entry.sim === run.sim && entry.at >= run.endedAt!);
      if (loss) found.push({ run, cause: loss.cause, gapMs: loss.at - run.endedAt });
    }
    return found;
  }

  runsOf(promptId: string): PromptRun[] {
    return this.runs.get(promptId) ?? [];
  }

  /** How many times each simulator accepted the prompt. */
  queuedCount(promptId: string): number {
    return this.queued.filter((entry) => entry.promptId === promptId).length;
  }

  /**
   * Prompts that ran more than once: a run that ended (success, error, interruption) and was
   * not the last one. A run abandoned by its server's restart or death and then run again
   * elsewhere or after the restart is not a second run of the work: that is how it recovers.
   * `forgiven` names the other earlier runs that are accepted (see {@link endedBeforeLoss}).
   */
  ranTwice(
    forgiven: (run: PromptRun) => boolean = () => false,
  ): { promptId: string; runs: PromptRun[] }[] {
    const twice: { promptId: string; runs: PromptRun[] }[] = [];
    for (const [promptId, runs] of this.runs) {
      const earlier = runs.slice(0, -1);
      if (earlier.some((run) => run.end !== 'abandoned' && !forgiven(run)))
        twice.push({ promptId, runs });
    }
    return twice;
  }

  /** Prompts that were abandoned at least once and then started again. */
  restartedRuns(): string[] {
    return [...this.runs]
      .filter(
        ([, runs]) => runs.length > 1 && runs.slice(0, -1).every((run) => run.end === 'abandoned'),
      )
      .map(([promptId]) => promptId);
  }

  /** The prompt's last run, when it succeeded: what a succeeded generation's outputs come from. */
  successOf(promptId: string): PromptRun | undefined {
    const last = this.runsOf(promptId).at(-1);
    return last?.end === 'success' ? last : undefined;
  }
}
