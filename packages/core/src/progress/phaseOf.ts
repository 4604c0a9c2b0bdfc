const phases: [RegExp, string][] = [
  [/KSampler(?!Select)|SamplerCustom/i, 'sampling'],
  [
    /Checkpoint|UNETLoader|UnetLoader|CLIPLoader|VAELoader|LoraLoader|ModelLoader|Loader$/i,
    'loading model',
  ],
  [/CLIPTextEncode|TextEncode/i, 'encoding prompt'],
  [/VAEDecode/i, 'decoding'],
  [/VAEEncode/i, 'encoding image'],
  [/Upscale/i, 'upscaling'],
  [/VideoCombine|SaveVideo|SaveWEBM|SaveAnimated|CreateVideo/i, 'encoding video'],
  [/SaveImage|PreviewImage|Save/i, 'saving'],
  [/LoadImage/i, 'loading image'],
  [/EmptyLatent|EmptySD3Latent|EmptyHunyuan/i, 'preparing'],
];

const known = new Map<string, string>();

/** The phase a user reads while a node of this class runs. */
export function phaseOf(classType: string | undefined): string {
  if (!classType) return 'working';
  let phase = known.get(classType);
  if (phase === undefined) {
    phase = phases.find(([pattern]) => pattern.test(classType))?.[1] ?? `running ${classType}`;
    known.set(classType, phase);
  }
  return phase;
}

const sampling = new Map<string, boolean>();

/** Node classes that sample, and so report steps. */
export function isSamplingClass(classType: string): boolean {
  // Asked on every progress message: each class is matched once.
  let samples = sampling.get(classType);
  if (samples === undefined) {
    // KSamplerSelect only picks a sampler by name: it runs no steps.
    samples = /KSampler(?!Select)|SamplerCustom/i.test(classType);
    sampling.set(classType, samples);
  }
  return samples;
}
