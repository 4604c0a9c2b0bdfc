import {
  isNodeLink,
  isSamplingClass,
  StepWeightedInterpreter,
  type ApiWorkflow,
  type PreviewImage,
  type Progress,
  type ProgressInterpreter,
  type ProgressTracker,
  type PromptMessage,
} from '@comfyrelay/core';

/** Nodes whose completion fills the tail of the bar: decoding, and the pixel-space upscale/resize. */
const TAIL_CLASSES = /VAEDecode|ImageUpscaleWithModel|ImageScale/;

/** Words for node classes core's phase table does not know. */
const PHASES: [RegExp, string][] = [
  [/^ImageScale/, 'resizing'],
  [/^(RandomNoise|KSamplerSelect|BasicScheduler|BasicGuider|CFGGuider|FluxGuidance)$/, 'preparing'],
];

/**
 * Core's step-weighted interpreter, taught two things about image graphs:
 * - `SamplerCustomAdvanced` has no `steps` input; its steps are on the scheduler its `sigmas`
 *   come from (BasicScheduler), so they are read from there. Without it the Flux bar would
 *   assume 20 steps and stall at 4/20 on a 4-step schnell run.
 * - A graph with no sampler (upscale) gives the pixel-space nodes 30 % of the bar instead of
 *   the 5 % decoding tail; tiles that the upscaler reports as progress fill the rest.
 */
export class ImageProgressInterpreter implements ProgressInterpreter {
  private readonly sampled = new StepWeightedInterpreter({ tailClasses: TAIL_CLASSES });
  private readonly unsampled = new StepWeightedInterpreter({
    tailClasses: TAIL_CLASSES,
    tailWeight: 0.3,
  });

  track(graph: ApiWorkflow): ProgressTracker {
    const view = stepWeightedView(graph);
    const hasSampler = Object.values(view).some((node) => isSamplingClass(node.class_type));
    const inner = (hasSampler ? this.sampled : this.unsampled).track(view);
    return new PhaseNamingTracker(inner, graph);
  }
}

/**
 * The graph as the step-weighted tracker should see it (a shallow copy when anything changes):
 * custom samplers carry the step count of their scheduler.
 */
export function stepWeightedView(graph: ApiWorkflow): ApiWorkflow {
  let copy: ApiWorkflow | undefined;
  for (const [id, node] of Object.entries(graph)) {
    if (!isSamplingClass(node.class_type) || typeof node.inputs['steps'] === 'number') continue;
    const sigmas = node.inputs['sigmas'];
    const steps = isNodeLink(sigmas) ? graph[sigmas[0]]?.inputs['steps'] : undefined;
    if (typeof steps !== 'number') continue;
    copy ??= { ...graph };
    copy[id] = { ...node, inputs: { ...node.inputs, steps } };
  }
  return copy ?? graph;
}

/** Reports the real node class and puts words on the phases core's table does not know. */
class PhaseNamingTracker implements ProgressTracker {
  constructor(
    private readonly inner: ProgressTracker,
    private readonly graph: ApiWorkflow,
  ) {}

  onMessage(message: PromptMessage, now: number): Progress | undefined {
    const progress = this.inner.onMessage(message, now);
    return progress && this.named(progress);
  }

  onPreview(preview: PreviewImage, now: number): Progress | undefined {
    const progress = this.inner.onPreview(preview, now);
    return progress && this.named(progress);
  }

  complete(): Progress {
    return this.inner.complete();
  }

  current(): Progress {
    return this.named(this.inner.current());
  }

  private named(progress: Progress): Progress {
    const nodeClass =
      progress.node === undefined ? undefined : this.graph[progress.node]?.class_type;
    if (!nodeClass) return progress;
    const phase = progress.phase.startsWith('running ')
      ? PHASES.find(([pattern]) => pattern.test(nodeClass))?.[1]
      : undefined;
    if (nodeClass === progress.nodeClass && !phase) return progress;
    return { ...progress, nodeClass, ...(phase ? { phase } : {}) };
  }
}
