import { ExecutionWorker } from './execution/execution-worker.js';
import { OutputCache } from './execution/output-cache.js';
import type { ServerExecState } from './execution/run-result.js';
import { HistoryStore } from './queue/history-store.js';
import { PromptQueue } from './queue/prompt-queue.js';
import { SERVER_FEATURES } from './server-features.js';
import type { SimServices } from './services.js';
import { SocketHub } from './ws/socket-hub.js';

/** Everything a ComfyUI restart forgets: sockets, queue, history, node cache, prompt counter. */
export class SimState {
  readonly serverState: ServerExecState = { clientId: null, lastNodeId: null };
  readonly history = new HistoryStore();
  readonly cache = new OutputCache();
  readonly queue: PromptQueue;
  readonly hub: SocketHub;
  readonly worker: ExecutionWorker;
  /** ComfyUI's server.number: the priority of the next prompt that brings none. */
  nextNumber = 0;

  constructor(services: SimServices) {
    this.queue = new PromptQueue(() => this.hub.sendStatus());
    this.hub = new SocketHub({
      queueInfo: () => this.queueInfo(),
      serverState: this.serverState,
      serverFeatures: SERVER_FEATURES,
      events: services.events,
    });
    this.worker = new ExecutionWorker(
      this.queue,
      this.history,
      {
        registry: services.registry,
        catalog: services.catalog,
        cache: this.cache,
        sink: this.hub,
        server: this.serverState,
        clock: services.clock,
        dirs: services.dirs,
        previewsEnabled: services.previews,
        events: services.events,
      },
      services.events,
      services.isHeld,
    );
  }

  queueInfo(): Record<string, unknown> {
    return { exec_info: { queue_remaining: this.queue.remaining() } };
  }

  dispose(): void {
    this.worker.dispose();
    this.hub.terminateAll();
  }
}
