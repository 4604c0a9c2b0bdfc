import type {
  ApiWorkflow,
  PreviewImage,
  Progress,
  ProgressInterpreter,
  ProgressTracker,
  PromptMessage,
} from '@comfyrelay/core';
import { StepRate } from './StepRate.js';
import { encodeWeightOf, roleOf, videoPhaseOf } from './videoPhases.js';

/** Shares of the bar; normalised over the parts the graph has. */
export interface VideoProgressWeights {
  sampling: number;
  decode: number;
  encode: number;
}

export const defaultVideoProgressWeights: Readonly<VideoProgressWeights> = Object.freeze({
  sampling: 0.8,
  decode: 0.1,
  encode: 0.1,
});

/** The bar stops here until the generation succeeded: 1 means the file exists. */
const BEFORE_SUCCESS = 0.99;

/**
 * Progress of a video job: every sampler's steps (Wan's high- and low-noise passes, weighted by
 * their step counts), then decoding the frames, then encoding the file, each with its own share
 * of the bar so it never sits at 100 % while the video is still being written. ETA comes from
 * the observed step rate.
 */
export class VideoProgressInterpreter implements ProgressInterpreter {
  private readonly weights: VideoProgressWeights;

  constructor(weights: Partial<VideoProgressWeights> = {}) {
    this.weights = { ...defaultVideoProgressWeights, ...weights };
    for (const [part, weight] of Object.entries(this.weights)) {
      if (!Number.isFinite(weight) || weight < 0)
        throw new RangeError(`progress weight ${part} must be ≥ 0 (got ${weight})`);
    }
  }

  track(graph: ApiWorkflow): ProgressTracker {
    return new VideoProgressTracker(graph, this.weights);
  }
}

interface SamplerState {
  total: number;
  done: number;
  pass: number;
}

interface TailState {
  role: 'decode' | 'encode';
  weight: number;
  /** 0..1 */
  done: number;
}

class VideoProgressTracker implements ProgressTracker {
  private readonly samplers = new Map<string, SamplerState>();
  private readonly tail = new Map<string, TailState>();
  private readonly rate = new StepRate();
  private progress: Progress = { fraction: 0, phase: 'starting' };

  constructor(
    private readonly graph: ApiWorkflow,
    private readonly weights: VideoProgressWeights,
  ) {
    const samplers = Object.entries(graph)
      .filter(([, node]) => roleOf(node.class_type) === 'sampling')
      .map(([id, node]) => ({
        id,
        start: numberInput(node.inputs, 'start_at_step') ?? 0,
        total: expectedSteps(node.inputs),
      }))
      .sort((a, b) => a.start - b.start || a.id.localeCompare(b.id, 'en', { numeric: true }));
    samplers.forEach((sampler, index) =>
      this.samplers.set(sampler.id, { total: sampler.total, done: 0, pass: index + 1 }),
    );
    for (const [id, node] of Object.entries(graph)) {
      const role = roleOf(node.class_type);
      if (role === 'decode') this.tail.set(id, { role, weight: 1, done: 0 });
      if (role === 'encode')
        this.tail.set(id, { role, weight: encodeWeightOf(node.class_type), done: 0 });
    }
  }

  current(): Progress {
    return this.progress;
  }

  complete(): Progress {
    this.progress = { fraction: 1, phase: 'done' };
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
      case 'execution_cached':
        for (const node of message.data.nodes) this.markDone(node);
        return this.update({});
      case 'executing': {
        const node = message.data.node;
        if (node === null) return undefined;
        const previous = this.progress.node;
        if (previous !== undefined && previous !== node) this.markDone(previous);
        this.rate.reset();
        return this.update(this.describe(node), ['step', 'stepTotal']);
      }
      case 'progress': {
        const node = message.data.node ?? this.progress.node;
        if (node === undefined) return undefined;
        return this.update(this.advance(node, message.data.value, message.data.max, now));
      }
      case 'executed':
        this.markDone(message.data.node);
        return this.update({});
      default:
        return undefined;
    }
  }

  private describe(node: string): Partial<Progress> {
    const nodeClass = this.graph[node]?.class_type;
    const sampler = this.samplers.get(node);
    const phase = sampler
      ? this.samplingPhase(sampler, sampler.done, sampler.total)
      : videoPhaseOf(nodeClass);
    return { node, phase, ...(nodeClass ? { nodeClass } : {}) };
  }

  private advance(node: string, value: number, max: number, now: number): Partial<Progress> {
    const nodeClass = this.graph[node]?.class_type;
    const next: Partial<Progress> = {
      node,
      step: value,
      stepTotal: max,
      ...(nodeClass ? { nodeClass } : {}),
    };
    const sampler = this.samplers.get(node);
    if (sampler) {
      // The server's count wins over the one read from the graph (the sampler slices its schedule itself).
      if (max > 0) sampler.total = max;
      sampler.done = Math.max(sampler.done, Math.min(value, sampler.total));
      this.rate.record(node, value, now);
      next.phase = this.samplingPhase(sampler, value, max);
      return next;
    }
    const tail = this.tail.get(node);
    if (tail && max > 0) tail.done = Math.max(tail.done, Math.min(1, value / max));
    next.phase = `${videoPhaseOf(nodeClass)} ${value}/${max}`;
    return next;
  }

  private samplingPhase(sampler: SamplerState, value: number, max: number): string {
    const passes = this.samplers.size;
    return passes > 1
      ? `sampling ${value}/${max} (pass ${sampler.pass} of ${passes})`
      : `sampling ${value}/${max}`;
  }

  private markDone(node: string): void {
    const sampler = this.samplers.get(node);
    if (sampler) sampler.done = sampler.total;
    const tail = this.tail.get(node);
    if (tail) tail.done = 1;
  }

  private remainingSteps(): number {
    let remaining = 0;
    for (const sampler of this.samplers.values()) remaining += sampler.total - sampler.done;
    return remaining;
  }

  /** Only sampling time can be foreseen from the step rate; decoding and encoding have none. */
  private eta(): number | undefined {
    const msPerStep = this.rate.msPerStep();
    const remaining = this.remainingSteps();
    if (msPerStep === undefined || remaining <= 0) return undefined;
    return Math.round(msPerStep * remaining);
  }

  private fraction(): number {
    const parts: { weight: number; done: number }[] = [];
    if (this.samplers.size > 0) {
      let total = 0;
      let done = 0;
      for (const sampler of this.samplers.values()) {
        total += sampler.total;
        done += sampler.done;
      }
      parts.push({ weight: this.weights.sampling, done: total > 0 ? done / total : 0 });
    }
    for (const role of ['decode', 'encode'] as const) {
      const nodes = [...this.tail.values()].filter((tail) => tail.role === role);
      const weight = nodes.reduce((sum, tail) => sum + tail.weight, 0);
      if (weight > 0)
        parts.push({
          weight: this.weights[role],
          done: nodes.reduce((sum, tail) => sum + tail.weight * tail.done, 0) / weight,
        });
    }
    const totalWeight = parts.reduce((sum, part) => sum + part.weight, 0);
    if (totalWeight === 0) return 0;
    const value = parts.reduce((sum, part) => sum + part.weight * part.done, 0) / totalWeight;
    return Math.min(value, BEFORE_SUCCESS);
  }

  private update(change: Partial<Progress>, clear: (keyof Progress)[] = []): Progress {
    const next: Progress = { ...this.progress, ...change };
    for (const key of clear) if (!(key in change)) delete next[key];
    next.fraction = Math.max(this.progress.fraction, this.fraction());
    const eta = this.eta();
    if (eta === undefined) delete next.etaMs;
    else next.etaMs = eta;
    this.progress = next;
    return next;
  }
}

function numberInput(inputs: Record<string, unknown>, name: string): number | undefined {
  const value = inputs[name];
  return typeof value === 'number' ? value : undefined;
}

/** Steps a sampler will run: KSamplerAdvanced runs its slice `start → min(end, steps)`. */
function expectedSteps(inputs: Record<string, unknown>): number {
  const steps = numberInput(inputs, 'steps') ?? 20;
  const start = numberInput(inputs, 'start_at_step') ?? 0;
  const end = Math.min(numberInput(inputs, 'end_at_step') ?? steps, steps);
  return Math.max(1, end - start);
}
