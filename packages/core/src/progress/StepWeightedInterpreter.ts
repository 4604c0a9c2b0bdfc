import type { ApiWorkflow } from '../protocol/graph.js';
import type { PreviewImage, PromptMessage } from '../protocol/messages.js';
import { isSamplingClass, phaseOf } from './phaseOf.js';
import type { Progress, ProgressInterpreter, ProgressTracker } from './Progress.js';

export interface StepWeightedOptions {
  /** Share of the bar kept for the non-sampling tail (decode, save, encode video …), 0..1. Default 0.05. */
  tailWeight?: number;
  /** Node classes treated as the tail (their completion fills `tailWeight`). */
  tailClasses?: RegExp;
}

/**
 * The default interpreter: the bar moves with sampler steps across ALL sampling nodes of the
 * graph, weighted by their step counts; cached nodes count as done; a small tail share is kept
 * for decoding and saving so the bar never sits at 100 % while work remains.
 */
export class StepWeightedInterpreter implements ProgressInterpreter {
  constructor(private readonly options: StepWeightedOptions = {}) {}

  track(graph: ApiWorkflow): ProgressTracker {
    return new StepWeightedTracker(graph, this.options);
  }
}

class StepWeightedTracker implements ProgressTracker {
  /** Expected steps per sampling node; nodes that report progress unannounced join on first report. */
  private readonly totals = new Map<string, number>();
  private readonly done = new Map<string, number>();
  private readonly tailWeight: number;
  private readonly tailClasses: RegExp;
  private readonly tailNodes: Set<string>;
  private readonly tailDone = new Set<string>();
  private progress: Progress = { fraction: 0, phase: 'starting' };
  private stepStartedAt: number | undefined;
  private stepDurations: number[] = [];

  constructor(
    private readonly graph: ApiWorkflow,
    options: StepWeightedOptions,
  ) {
    this.tailWeight = options.tailWeight ?? 0.05;
    this.tailClasses = options.tailClasses ?? /VAEDecode|VideoCombine|SaveVideo|SaveWEBM|SaveAnimated|CreateVideo/;
    this.tailNodes = new Set(
      Object.entries(graph)
        .filter(([, node]) => this.tailClasses.test(node.class_type))
        .map(([id]) => id),
    );
    for (const [id, node] of Object.entries(graph)) {
      if (isSamplingClass(node.class_type)) this.totals.set(id, expectedSteps(node.inputs));
    }
  }

  current(): Progress {
    return this.progress;
  }

  complete(): Progress {
    const { preview: _preview, ...rest } = this.progress;
    this.progress = { ...rest, fraction: 1, phase: 'done' };
    delete this.progress.etaMs;
    return this.progress;
  }

  onPreview(preview: PreviewImage): Progress | undefined {
    this.progress = { ...this.progress, preview };
    return this.progress;
  }

  onMessage(message: PromptMessage, now: number): Progress | undefined {
    switch (message.type) {
      case 'execution_start':
        return this.update({ phase: 'starting' });
      case 'execution_cached': {
        for (const node of message.data.nodes) this.markDone(node);
        return this.update({});
      }
      case 'executing': {
        const node = message.data.node;
        if (node === null) return undefined;
        const previous = this.progress.node;
        if (previous && previous !== node) this.markDone(previous);
        const nodeClass = this.graph[node]?.class_type;
        this.stepStartedAt = now;
        const next: Partial<Progress> = { node, phase: phaseOf(nodeClass) };
        if (nodeClass) next.nodeClass = nodeClass;
        return this.update(next, ['step', 'stepTotal', 'etaMs']);
      }
      case 'progress': {
        const { value, max } = message.data;
        const node = message.data.node ?? this.progress.node;
        if (node === undefined) return undefined;
        if (!this.totals.has(node) || (this.totals.get(node) ?? 0) < max) this.totals.set(node, max);
        this.done.set(node, Math.min(value, max));
        this.recordStep(now);
        const nodeClass = this.graph[node]?.class_type;
        const remaining = this.remainingSteps();
        const next: Partial<Progress> = {
          node,
          step: value,
          stepTotal: max,
          phase: isSamplingClass(nodeClass ?? '') || !nodeClass ? `sampling ${value}/${max}` : `${phaseOf(nodeClass)} ${value}/${max}`,
        };
        if (nodeClass) next.nodeClass = nodeClass;
        const eta = this.eta(remaining);
        if (eta !== undefined) next.etaMs = eta;
        return this.update(next);
      }
      case 'executed':
        this.markDone(message.data.node);
        return this.update({});
      default:
        return undefined;
    }
  }

  private markDone(node: string): void {
    const total = this.totals.get(node);
    if (total !== undefined) this.done.set(node, total);
    if (this.tailNodes.has(node)) this.tailDone.add(node);
  }

  private recordStep(now: number): void {
    if (this.stepStartedAt !== undefined) {
      this.stepDurations.push(now - this.stepStartedAt);
      if (this.stepDurations.length > 20) this.stepDurations.shift();
    }
    this.stepStartedAt = now;
  }

  private remainingSteps(): number {
    let remaining = 0;
    for (const [node, total] of this.totals) remaining += total - (this.done.get(node) ?? 0);
    return remaining;
  }

  private eta(remainingSteps: number): number | undefined {
    if (this.stepDurations.length < 2) return undefined;
    const average = this.stepDurations.reduce((a, b) => a + b, 0) / this.stepDurations.length;
    return Math.round(average * remainingSteps);
  }

  private fraction(): number {
    let total = 0;
    let done = 0;
    for (const [node, steps] of this.totals) {
      total += steps;
      done += this.done.get(node) ?? 0;
    }
    const sampling = total > 0 ? done / total : 0;
    const tail = this.tailNodes.size > 0 ? this.tailDone.size / this.tailNodes.size : 0;
    const tailWeight = this.tailNodes.size > 0 || total === 0 ? this.tailWeight : 0;
    const value = sampling * (1 - tailWeight) + tail * tailWeight;
    // 1 is reserved for success: the bar never claims "done" while anything is left.
    return Math.min(value, 0.99);
  }

  private update(change: Partial<Progress>, clear: (keyof Progress)[] = []): Progress {
    const next: Progress = { ...this.progress, ...change };
    for (const key of clear) if (!(key in change)) delete next[key];
    next.fraction = Math.max(this.progress.fraction, this.fraction());
    this.progress = next;
    return next;
  }
}

function expectedSteps(inputs: Record<string, unknown>): number {
  const steps = typeof inputs['steps'] === 'number' ? inputs['steps'] : 20;
  const start = typeof inputs['start_at_step'] === 'number' ? inputs['start_at_step'] : 0;
  const end = typeof inputs['end_at_step'] === 'number' ? Math.min(inputs['end_at_step'], steps) : steps;
  return Math.max(1, end - start);
}
