import type { SimulatorEvents } from '../events.js';
import type { HistoryStore } from '../queue/history-store.js';
import type { PromptQueue } from '../queue/prompt-queue.js';
import { clientIdOf, type QueueItem } from '../queue/queue-item.js';
import type { TypedEmitter } from '../util/typed-emitter.js';
import { PromptRun, type RunEnvironment } from './prompt-run.js';
import type { RunResult } from './run-result.js';

/** ComfyUI's prompt_worker: one prompt at a time, in priority order. */
export class ExecutionWorker {
  private current: PromptRun | undefined;
  private disposed = false;

  constructor(
    private readonly queue: PromptQueue,
    private readonly history: HistoryStore,
    private readonly env: RunEnvironment,
    private readonly events: TypedEmitter<SimulatorEvents>,
    private readonly isHeld: () => boolean,
  ) {}

  get running(): PromptRun | undefined {
    return this.current;
  }

  /** Starts the next prompt if idle; returns the run it started. */
  kick(): PromptRun | undefined {
    if (this.current || this.disposed || this.isHeld()) return undefined;
    const item = this.queue.take();
    if (!item) return undefined;
    const run = new PromptRun(item, this.env);
    this.current = run;
    run.execute().then(
      (result) => this.finish(item, result),
      (error: unknown) => {
        console.error('[comfyui-sim] prompt run crashed', error);
        this.finish(item, undefined);
      },
    );
    return run;
  }

  /** Without a prompt id: whatever runs. With one: only if it is the running prompt. */
  interrupt(promptId?: unknown): void {
    if (promptId !== undefined && this.current?.promptId !== promptId) return;
    this.current?.interrupt();
  }

  dispose(): void {
    this.disposed = true;
    this.current?.abandon();
  }

  private finish(item: QueueItem, result: RunResult | undefined): void {
    if (this.disposed) return;
    if (result) {
      const success = result.status === 'success';
      this.history.add(item, {
        outputs: result.outputs,
        status: {
          status_str: success ? 'success' : 'error',
          completed: success,
          messages: result.messages,
        },
        meta: result.meta,
      });
    }
    this.current = undefined;
    this.queue.finish(item);
    const clientId = clientIdOf(item);
    if (clientId !== null && clientId !== undefined) {
      this.env.sink.sendJson('executing', { node: null, prompt_id: item.promptId }, clientId);
    }
    this.events.emit('execution-end', {
      promptId: item.promptId,
      status: result?.status ?? 'error',
    });
    this.kick();
  }
}
