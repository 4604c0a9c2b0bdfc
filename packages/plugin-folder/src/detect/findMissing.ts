import type { ApiWorkflow, OutputSpec, ParameterBinding, ParameterSpec } from '@comfyrelay/core';
import { IMAGE_LOADERS, SAMPLER_CLASSES } from './nodeClasses.js';

/**
 * What a chat command would want but the workflow does not offer, in words: computed from the
 * final parameters, so a manifest that binds a prompt makes "no prompt" go away.
 */
export function findMissing(
  graph: ApiWorkflow,
  parameters: readonly ParameterSpec[],
  outputs: readonly OutputSpec[],
): string[] {
  const missing: string[] = [];
  const nodes = Object.values(graph);
  const bindings = parameters.flatMap((p): ParameterBinding[] =>
    Array.isArray(p.bind) ? p.bind : [p.bind],
  );
  const hasSampler = nodes.some((node) => SAMPLER_CLASSES.has(node.class_type));
  if (!hasSampler) {
    missing.push(
      'no sampler found (KSampler, KSamplerAdvanced, SamplerCustomAdvanced …): steps, cfg and seed cannot be offered',
    );
  }
  if (
    !parameters.some(
      (p) => p.name === 'prompt' || (p.type === 'string' && p.name !== 'negative_prompt'),
    )
  ) {
    missing.push(
      "no positive prompt input found: no text encoder with a literal text reaches a sampler's positive input (bind one in a manifest)",
    );
  }
  if (hasSampler && !parameters.some((p) => p.type === 'seed')) {
    missing.push(
      'no seed input found: every run with the same settings gives the same result (ComfyUI may even answer from its cache)',
    );
  }
  const takesImage =
    nodes.some((node) => IMAGE_LOADERS.has(node.class_type)) ||
    parameters.some((p) => p.type === 'image');
  if (
    hasSampler &&
    !takesImage &&
    !bindings.some((b) => b.input === 'width') &&
    !bindings.some((b) => b.input === 'height')
  ) {
    missing.push(
      'no image size input found (EmptyLatentImage or a variant with literal width and height): the size is fixed',
    );
  }
  if (outputs.length === 0) {
    missing.push(
      'no image or video output found (SaveImage, PreviewImage, SaveVideo, SaveAnimatedWEBP, SaveWEBM, VHS_VideoCombine)',
    );
  }
  return missing;
}
