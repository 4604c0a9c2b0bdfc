const phases: [RegExp, string][] = [
  [/Checkpoint|UNETLoader|UnetLoader|CLIPLoader|VAELoader|LoraLoader|ModelLoader|Loader$/i, 'loading model'],
  [/CLIPTextEncode|TextEncode/i, 'encoding prompt'],
  [/VAEDecode/i, 'decoding'],
  [/VAEEncode/i, 'encoding image'],
  [/Upscale/i, 'upscaling'],
  [/VideoCombine|SaveVideo|SaveWEBM|SaveAnimated|CreateVideo/i, 'encoding video'],
  [/SaveImage|PreviewImage|Save/i, 'saving'],
  [/LoadImage/i, 'loading image'],
  [/EmptyLatent|EmptySD3Latent|EmptyHunyuan/i, 'preparing'],
];

/** The phase a user reads while a node of this class runs. */
export function phaseOf(classType: string | undefined): string {
  if (!classType) return 'working';
  for (const [pattern, phase] of phases) if (pattern.test(classType)) return phase;
  return `running ${classType}`;
}

/** Node classes that sample, and so report steps. */
export function isSamplingClass(classType: string): boolean {
  // KSamplerSelect only picks a sampler by name: it runs no steps.
  return /KSampler(?!Select)|SamplerCustom/i.test(classType);
}
