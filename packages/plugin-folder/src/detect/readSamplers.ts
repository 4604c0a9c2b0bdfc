import type { NodeLink } from '@comfyrelay/core';
import type { GraphIndex } from './GraphIndex.js';
import { literalSlot, type Slot } from './literalSlot.js';
import { SAMPLER_CLASSES } from './nodeClasses.js';

/**
 * One sampler's settings, wherever they live: on the sampler (KSampler), or on the nodes it
 * links to (RandomNoise, KSamplerSelect, BasicScheduler, a guider) for the custom samplers.
 * Only literal inputs are slots; a linked setting is left alone.
 */
export interface SamplerView {
  node: string;
  classType: string;
  seed?: Slot;
  /** False when the sampler adds no noise (a refiner's KSamplerAdvanced): its seed does nothing. */
  seedUsed: boolean;
  steps?: Slot;
  cfg?: Slot;
  samplerName?: Slot;
  scheduler?: Slot;
  denoise?: Slot;
  /** KSamplerAdvanced only: the steps it runs (kept as exported when steps change). */
  startAtStep?: number;
  endAtStep?: number;
  positive?: NodeLink;
  negative?: NodeLink;
  latent?: NodeLink;
}

/** The samplers of the graph, in execution order. */
export function readSamplers(index: GraphIndex): SamplerView[] {
  return index.order.flatMap((id) => {
    const classType = index.classOf(id);
    return classType && SAMPLER_CLASSES.has(classType) ? [readSampler(index, id, classType)] : [];
  });
}

function readSampler(index: GraphIndex, id: string, classType: string): SamplerView {
  const graph = index.graph;
  const own = (input: string) => literalSlot(graph, id, input);
  const view: SamplerView = { node: id, classType, seedUsed: true };
  const set = <K extends keyof SamplerView>(key: K, value: SamplerView[K] | undefined) => {
    if (value !== undefined) view[key] = value;
  };
  set('latent', index.link(id, 'latent_image'));
  if (
    classType === 'KSampler' ||
    classType === 'KSamplerAdvanced' ||
    classType === 'SamplerCustom'
  ) {
    set('positive', index.link(id, 'positive'));
    set('negative', index.link(id, 'negative'));
    set('cfg', own('cfg'));
  }
  if (classType === 'KSampler') {
    set('seed', own('seed'));
    set('steps', own('steps'));
    set('samplerName', own('sampler_name'));
    set('scheduler', own('scheduler'));
    set('denoise', own('denoise'));
  } else if (classType === 'KSamplerAdvanced') {
    set('seed', own('noise_seed'));
    view.seedUsed = graph[id]?.inputs['add_noise'] !== 'disable';
    set('steps', own('steps'));
    set('samplerName', own('sampler_name'));
    set('scheduler', own('scheduler'));
    const start = graph[id]?.inputs['start_at_step'];
    const end = graph[id]?.inputs['end_at_step'];
    if (typeof start === 'number') view.startAtStep = start;
    if (typeof end === 'number') view.endAtStep = end;
  } else if (classType === 'SamplerCustom') {
    set('seed', own('noise_seed'));
    view.seedUsed = graph[id]?.inputs['add_noise'] !== false;
  } else if (classType === 'SamplerCustomAdvanced') {
    const noise = follow(index, id, 'noise', 'noise_seed');
    set('seed', noise);
    view.seedUsed = noise !== undefined;
    const guider = index.link(id, 'guider')?.[0];
    if (guider) {
      set(
        'positive',
        index.link(guider, 'positive') ??
          index.link(guider, 'conditioning') ??
          index.link(guider, 'cond1'),
      );
      set('negative', index.link(guider, 'negative'));
      set('cfg', literalSlot(graph, guider, 'cfg') ?? literalSlot(graph, guider, 'cfg_conds'));
    }
  }
  if (classType === 'SamplerCustom' || classType === 'SamplerCustomAdvanced') {
    set('samplerName', follow(index, id, 'sampler', 'sampler_name'));
    set('steps', follow(index, id, 'sigmas', 'steps'));
    set('scheduler', follow(index, id, 'sigmas', 'scheduler'));
    const denoise = follow(index, id, 'sigmas', 'denoise');
    set('denoise', denoise);
  }
  return view;
}

/**
 * The literal `wanted` input of the node linked at `via`, following a chain of the same link
 * name a few hops (SplitSigmas ← BasicScheduler).
 */
function follow(index: GraphIndex, from: string, via: string, wanted: string): Slot | undefined {
  let current = index.link(from, via)?.[0];
  for (let hops = 0; current !== undefined && hops < 5; hops++) {
    const slot = literalSlot(index.graph, current, wanted);
    if (slot) return slot;
    current = index.link(current, via)?.[0];
  }
  return undefined;
}
