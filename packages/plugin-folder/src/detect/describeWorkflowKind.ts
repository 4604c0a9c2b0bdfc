import type { OutputSpec, ParameterSpec } from '@comfyrelay/core';

/** "Text to image", "Image to video" …: what the workflow does, from what it takes and gives. */
export function describeWorkflowKind(
  parameters: readonly ParameterSpec[],
  outputs: readonly OutputSpec[],
): string {
  const from = parameters.some((p) => p.type === 'image') ? 'Image' : 'Text';
  const kinds = new Set(outputs.map((o) => o.kind));
  const to = kinds.has('video') ? 'video' : kinds.has('animated-image') ? 'animation' : 'image';
  return `${from} to ${to}`;
}

/** "sdxl_refiner-v2" → "Sdxl refiner v2". */
export function titleFromName(name: string): string {
  const words = name
    .replace(/[_\-.]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Custom workflow';
}
