import type { ApiWorkflow } from '../protocol/graph.js';
import type { PreviewImage, PromptMessage } from '../protocol/messages.js';
import { isSamplingClass, phaseOf } from './phaseOf.js';
import {
  noteMessage,
  type NotingTracker,
  type Progress,
  type ProgressInterpreter,
  type ProgressTracker,
} from './Progress.js';

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

const STEP_WINDOW = 20;
const defaultTail = /VAEDecode|VideoCombine|SaveVideo|SaveWEBM|SaveAnimated|CreateVideo/;

/**
 * Runs on every message of every generation: running totals, no scans. The bar's state is kept
 * in fields and a {@link Progress} is built only when asked for (`current()`, or the value
 * `onMessage` returns): a socket read carries many messages per generation, and the
 * generation publishes only the last state of each (see `noteMessage`).
 */
class StepWeightedTracker implements NotingTracker {
  /** Expected steps per sampling node; nodes that report progress unannounced join on first report. */
  private readonly totals = new Map<string, number>();
  private readonly done = new Map<string, number>();
  private totalSteps = 0;
  private doneSteps = 0;
  private readonly tailWeight: number;
  // The graph's own tail nodes (a handful at most): lists, lighter than sets for so few.
  private readonly tailNodes: string[] = [];
  private readonly tailDone: string[] = [];
  private stepStartedAt: number | undefined;
  private readonly stepDurations: number[] = [];
  private stepDurationSum = 0;
  private nextDuration = 0;
  // The bar now: what `current()` builds a Progress from.
  private fractionNow = 0;
  /** The phase, in words; followed by " step/total" when `stepPhase` (a step being reported). */
  private phase = 'starting';
  private stepPhase = false;
  private node: string | undefined;
  private nodeClass: string | undefined;
  private step: number | undefined;
  private stepTotal: number | undefined;
  private etaMs: number | undefined;
  private preview: PreviewImage | undefined;
  /** The Progress of the state above, once built (undefined since the last change). */
  private built: Progress | undefined;

  constructor(
    private readonly graph: ApiWorkflow,
    options: StepWeightedOptions,
  ) {
    this.tailWeight = options.tailWeight ?? 0.05;
    const tailClasses = options.tailClasses ?? defaultTail;
    for (const id in graph) {
      const node = graph[id];
      if (!node) continue;
      if (tailClasses.test(node.class_type)) this.tailNodes.push(id);
      if (isSamplingClass(node.class_type)) this.setTotal(id, expectedSteps(node.inputs));
    }
  }

  current(): Progress {
    return (this.built ??= progressOf(
      this.fractionNow,
      this.stepPhase ? `${this.phase} ${this.step}/${this.stepTotal}` : this.phase,
      this.node,
      this.nodeClass,
      this.step,
      this.stepTotal,
      this.etaMs,
      this.preview,
    ));
  }

  complete(): Progress {
    this.fractionNow = 1;
    this.phase = 'done';
    this.stepPhase = false;
    this.etaMs = undefined;
    this.preview = undefined;
    this.built = undefined;
    return this.current();
  }

  onPreview(preview: PreviewImage): Progress | undefined {
    this.preview = preview;
    this.built = undefined;
    return this.current();
  }

  /**
   * Reads only what it needs and skips a message it cannot read (a garbled one from a server
   * gone wrong): the bar goes on with the next message, never backwards, never past 0.99.
   */
  onMessage(message: PromptMessage, now: number): Progress | undefined {
    return this[noteMessage](message, now) ? this.current() : undefined;
  }

  /** `onMessage` without building the Progress: whether the message changed it. */
  [noteMessage](message: PromptMessage, now: number): boolean {
    const data: unknown = message?.data;
    if (!isRecord(data)) return false;
    switch (message.type) {
      case 'execution_start':
        this.setPhase('starting');
        return this.changed();
      case 'execution_cached': {
        const nodes = data['nodes'];
        if (!Array.isArray(nodes)) return false;
        for (const node of nodes) if (typeof node === 'string') this.markDone(node);
        return this.changed();
      }
      case 'executing': {
        const node = data['node'];
        if (typeof node !== 'string') return false;
        const previous = this.node;
        if (previous !== undefined && previous !== node) this.markDone(previous);
        const nodeClass = this.classOf(node);
        this.stepStartedAt = now;
        this.setPhase(phaseOf(nodeClass));
        this.node = node;
        this.nodeClass = nodeClass;
        this.step = undefined;
        this.stepTotal = undefined;
        this.etaMs = undefined;
        return this.changed();
      }
      case 'progress': {
        const { value, max } = data;
        if (!isSteps(value) || !isSteps(max) || max <= 0) return false;
        const named = data['node'];
        if (named !== undefined && typeof named !== 'string') return false;
        const node = named ?? this.node;
        if (node === undefined) return false;
        if ((this.totals.get(node) ?? 0) < max) this.setTotal(node, max);
        this.setDone(node, Math.min(value, max));
        this.recordStep(now);
        const nodeClass = this.classOf(node);
        const sampling = nodeClass === undefined || isSamplingClass(nodeClass);
        this.phase = sampling ? 'sampling' : phaseOf(nodeClass);
        this.stepPhase = true;
        this.node = node;
        if (nodeClass !== undefined) this.nodeClass = nodeClass;
        this.step = value;
        this.stepTotal = max;
        this.etaMs = this.eta() ?? this.etaMs;
        return this.changed();
      }
      case 'executed': {
        const node = data['node'];
        if (typeof node !== 'string') return false;
        this.markDone(node);
        return this.changed();
      }
      default:
        return false;
    }
  }

  /** The class of one of the graph's own nodes (never something inherited, such as `constructor`). */
  private classOf(node: string): string | undefined {
    if (!Object.hasOwn(this.graph, node)) return undefined;
    const classType: unknown = this.graph[node]?.class_type;
    return typeof classType === 'string' ? classType : undefined;
  }

  private setPhase(phase: string): void {
    this.phase = phase;
    this.stepPhase = false;
  }

  private setTotal(node: string, total: number): void {
    this.totalSteps += total - (this.totals.get(node) ?? 0);
    this.totals.set(node, total);
  }

  private setDone(node: string, value: number): void {
    this.doneSteps += value - (this.done.get(node) ?? 0);
    this.done.set(node, value);
  }

  private markDone(node: string): void {
    const total = this.totals.get(node);
    if (total !== undefined) this.setDone(node, total);
    if (this.tailNodes.includes(node) && !this.tailDone.includes(node)) this.tailDone.push(node);
  }

  private recordStep(now: number): void {
    if (this.stepStartedAt !== undefined) {
      const duration = now - this.stepStartedAt;
      if (this.stepDurations.length < STEP_WINDOW) this.stepDurations.push(duration);
      else {
        this.stepDurationSum -= this.stepDurations[this.nextDuration] ?? 0;
        this.stepDurations[this.nextDuration] = duration;
        this.nextDuration = (this.nextDuration + 1) % STEP_WINDOW;
      }
      this.stepDurationSum += duration;
    }
    this.stepStartedAt = now;
  }

  private eta(): number | undefined {
    if (this.stepDurations.length < 2) return undefined;
    const eta = Math.round(
      (this.stepDurationSum / this.stepDurations.length) * (this.totalSteps - this.doneSteps),
    );
    return Number.isFinite(eta) && eta >= 0 ? eta : undefined;
  }

  private fraction(): number {
    const sampling = this.totalSteps > 0 ? this.doneSteps / this.totalSteps : 0;
    const hasTail = this.tailNodes.length > 0;
    const tail = hasTail ? this.tailDone.length / this.tailNodes.length : 0;
    const tailWeight = hasTail || this.totalSteps === 0 ? this.tailWeight : 0;
    // 1 is reserved for success: the bar never claims "done" while anything is left.
    const fraction = Math.min(sampling * (1 - tailWeight) + tail * tailWeight, 0.99);
    return Number.isFinite(fraction) ? Math.max(0, fraction) : 0;
  }

  /** A message changed the bar: its fraction moves on (never back), its Progress is built anew. */
  private changed(): true {
    this.fractionNow = Math.max(this.fractionNow, this.fraction());
    this.built = undefined;
    return true;
  }
}

/** Every Progress this tracker makes has the same shape (all keys, some undefined): fast to build and read. */
function progressOf(
  fraction: number,
  phase: string,
  node?: string,
  nodeClass?: string,
  step?: number,
  stepTotal?: number,
  etaMs?: number,
  preview?: PreviewImage,
): Progress {
  return { fraction, phase, node, nodeClass, step, stepTotal, etaMs, preview };
}

/** A step count a progress bar can use: not negative, small enough that sums of them stay finite. */
function isSteps(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_STEPS;
}

const MAX_STEPS = Number.MAX_SAFE_INTEGER;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expectedSteps(inputs: Record<string, unknown>): number {
  const steps = typeof inputs['steps'] === 'number' ? inputs['steps'] : 20;
  const start = typeof inputs['start_at_step'] === 'number' ? inputs['start_at_step'] : 0;
  const end =
    typeof inputs['end_at_step'] === 'number' ? Math.min(inputs['end_at_step'], steps) : steps;
  return Math.max(1, end - start);
}
