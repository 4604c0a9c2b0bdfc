import type { SimulatorEvents } from '../events.js';
import type { RgbImage } from '../image/rgb-image.js';
import type { NodeRegistry } from '../nodes/registry.js';
import type { CatalogContext, NodeDefinition, NodeRunContext, UiOutput } from '../nodes/types.js';
import { describeValue } from '../nodes/values.js';
import { isLink, nodeInputs } from '../prompt.js';
import { clientIdOf, type QueueItem } from '../queue/queue-item.js';
import type { SimDirs } from '../storage/dirs.js';
import { abortableSleep } from '../util/abortable-sleep.js';
import type { TypedEmitter } from '../util/typed-emitter.js';
import { exceptionReport } from './execution-errors.js';
import { ExecutionList } from './execution-list.js';
import { AbandonSignal, InterruptSignal } from './interruption.js';
import { computeSignatures, type OutputCache } from './output-cache.js';
import { ProgressState } from './progress-state.js';
import { sendStep } from './send-step.js';
import type { ExecutionMessage, MessageSink, RunResult, ServerExecState } from './run-result.js';
import type { StepClock } from './step-clock.js';

export interface RunEnvironment {
  registry: NodeRegistry;
  catalog: CatalogContext;
  cache: OutputCache;
  sink: MessageSink;
  server: ServerExecState;
  clock: StepClock;
  dirs: SimDirs;
  previewsEnabled: boolean;
  events: TypedEmitter<SimulatorEvents>;
}

/**
 * Executes one prompt the way ComfyUI's PromptExecutor does, message for message. Everything up to
 * the first `executing` happens synchronously, so a caller can send it before answering the POST.
 */
export class PromptRun {
  readonly promptId: string;
  /** Settles once the first node has started (or the run ended without starting one). */
  readonly firstNodeReached: Promise<void>;
  private markFirstNodeReached!: () => void;
  private readonly controller = new AbortController();
  private readonly clientId: unknown;
  private readonly messages: ExecutionMessage[] = [];
  private readonly uiOutputs: Record<string, UiOutput> = {};
  private readonly meta: Record<string, unknown> = {};
  private readonly executed: string[] = [];
  private readonly results = new Map<string, readonly unknown[]>();
  private signatures = new Map<string, string>();
  private currentNode: string | undefined;
  private abandoned = false;

  constructor(
    readonly item: QueueItem,
    private readonly env: RunEnvironment,
  ) {
    this.promptId = item.promptId;
    this.clientId = clientIdOf(item);
    this.firstNodeReached = new Promise((resolve) => (this.markFirstNodeReached = resolve));
  }

  interrupt(): void {
    this.controller.abort(new InterruptSignal());
  }

  abandon(): void {
    this.abandoned = true;
    this.controller.abort(new AbandonSignal());
  }

  /** Resolves with the outcome, or undefined when the run was abandoned. */
  async execute(): Promise<RunResult | undefined> {
    try {
      return await this.executeGraph();
    } finally {
      this.env.server.lastNodeId = null;
      this.markFirstNodeReached();
    }
  }

  private get hasClient(): boolean {
    return this.clientId !== null && this.clientId !== undefined;
  }

  private async executeGraph(): Promise<RunResult | undefined> {
    const { registry, catalog, cache, server, events } = this.env;
    const { prompt } = this.item;
    server.clientId = this.clientId;
    events.emit('execution-start', { promptId: this.promptId });
    this.addMessage('execution_start', { prompt_id: this.promptId, timestamp: Date.now() });
    this.signatures = computeSignatures(prompt, registry, catalog);
    cache.retainOnly(this.signatures.values());
    const isCached = (nodeId: string): boolean => cache.has(this.signatures.get(nodeId));
    const cachedNodes = Object.keys(prompt).filter(isCached);
    this.addMessage('execution_cached', {
      nodes: cachedNodes,
      prompt_id: this.promptId,
      timestamp: Date.now(),
    });

    const list = new ExecutionList(prompt, registry, isCached);
    for (const output of this.item.outputsToExecute) list.addNode(output);
    const progress = new ProgressState(this.promptId, (data) => this.send('progress_state', data));
    try {
      for (let nodeId = list.next(); nodeId !== undefined; nodeId = list.next()) {
        if (this.abandoned) return undefined;
        this.currentNode = nodeId;
        if (isCached(nodeId)) this.replayCached(nodeId, progress);
        else await this.runNode(nodeId, progress);
        list.complete(nodeId);
      }
    } catch (error) {
      if (this.abandoned) return undefined;
      return this.failed(error, list);
    }
    if (this.abandoned) return undefined;
    this.addMessage('execution_success', { prompt_id: this.promptId, timestamp: Date.now() });
    return this.result('success');
  }

  private replayCached(nodeId: string, progress: ProgressState): void {
    const entry = this.env.cache.get(this.signatures.get(nodeId));
    if (this.hasClient) {
      this.send('executed', {
        node: nodeId,
        display_node: nodeId,
        output: entry?.ui ?? null,
        prompt_id: this.promptId,
      });
    }
    if (entry?.ui) this.recordUi(nodeId, entry.ui);
    progress.finish(nodeId);
  }

  private async runNode(nodeId: string, progress: ProgressState): Promise<void> {
    const node = this.item.prompt[nodeId];
    const definition = this.env.registry.get(node?.class_type) as NodeDefinition;
    progress.start(nodeId);
    if (this.hasClient)
      this.send('executing', { node: nodeId, display_node: nodeId, prompt_id: this.promptId });
    this.env.server.lastNodeId = nodeId;
    this.markFirstNodeReached();
    this.controller.signal.throwIfAborted();
    const result = await definition.execute(
      this.resolveInputs(nodeId),
      this.nodeContext(nodeId, progress),
    );
    if (this.abandoned) return;
    this.env.cache.set(this.signatures.get(nodeId) as string, {
      outputs: result.outputs,
      ui: result.ui,
    });
    this.results.set(nodeId, result.outputs);
    if (result.ui) {
      this.recordUi(nodeId, result.ui);
      if (this.hasClient) {
        this.send('executed', {
          node: nodeId,
          display_node: nodeId,
          output: result.ui,
          prompt_id: this.promptId,
        });
      }
    }
    progress.finish(nodeId);
    this.executed.push(nodeId);
  }

  private resolveInputs(nodeId: string): Record<string, unknown> {
    const resolved: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(nodeInputs(this.item.prompt[nodeId]))) {
      if (isLink(value) && typeof value[0] === 'string') {
        const outputs =
          this.results.get(value[0]) ?? this.env.cache.get(this.signatures.get(value[0]))?.outputs;
        resolved[name] = outputs?.[value[1]];
      } else {
        resolved[name] = value;
      }
    }
    return resolved;
  }

  private nodeContext(nodeId: string, progress: ProgressState): NodeRunContext {
    const signal = this.controller.signal;
    return {
      promptId: this.promptId,
      nodeId,
      prompt: this.item.prompt,
      extraPngInfo: this.item.extraData['extra_pnginfo'],
      dirs: this.env.dirs,
      previewsEnabled: this.env.previewsEnabled,
      signal,
      step: (nodeDelaySeconds) => this.env.clock.waitStep(nodeDelaySeconds, signal),
      pause: (ms) => abortableSleep(ms, signal),
      progress: (value, max, preview) => this.reportProgress(progress, nodeId, value, max, preview),
    };
  }

  private reportProgress(
    progress: ProgressState,
    nodeId: string,
    value: number,
    max: number,
    preview?: RgbImage,
  ): void {
    if (this.abandoned) return;
    const step = { promptId: this.promptId, clientId: this.clientId, nodeId, value, max };
    sendStep(this.env.sink, progress, step, preview);
    this.env.events.emit('step', { promptId: this.promptId, node: nodeId, value, max });
  }

  private failed(error: unknown, list: ExecutionList): RunResult {
    const nodeId = this.currentNode ?? '';
    const nodeType = String(this.item.prompt[nodeId]?.class_type ?? '');
    if (error instanceof InterruptSignal) {
      // Interruptions go to every socket when the prompt has no client (broadcast=True in ComfyUI).
      this.addMessage(
        'execution_interrupted',
        {
          prompt_id: this.promptId,
          node_id: nodeId,
          node_type: nodeType,
          executed: [...this.executed],
          timestamp: Date.now(),
        },
        true,
      );
      return this.result('interrupted');
    }
    const currentInputs: Record<string, unknown[]> = {};
    for (const [name, value] of Object.entries(this.resolveInputs(nodeId)))
      currentInputs[name] = [describeValue(value)];
    this.addMessage('execution_error', {
      prompt_id: this.promptId,
      node_id: nodeId,
      node_type: nodeType,
      executed: [...this.executed],
      ...exceptionReport(error, nodeType),
      current_inputs: currentInputs,
      current_outputs: list.pendingIds(),
      timestamp: Date.now(),
    });
    return this.result('error');
  }

  private recordUi(nodeId: string, ui: UiOutput): void {
    this.uiOutputs[nodeId] = ui;
    this.meta[nodeId] = {
      node_id: nodeId,
      display_node: nodeId,
      parent_node: null,
      real_node_id: nodeId,
    };
  }

  private result(status: RunResult['status']): RunResult {
    return { status, outputs: this.uiOutputs, meta: this.meta, messages: this.messages };
  }

  /** PromptExecutor.add_message: always kept for history, sent only when someone should hear it. */
  private addMessage(event: string, data: Record<string, unknown>, broadcast = false): void {
    this.messages.push([event, data]);
    if (this.hasClient || broadcast) this.send(event, data);
  }

  private send(event: string, data: unknown): void {
    if (!this.abandoned) this.env.sink.sendJson(event, data, this.clientId);
  }
}
