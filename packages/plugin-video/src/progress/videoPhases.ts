import { isSamplingClass, phaseOf } from '@comfyrelay/core';

/** What a node contributes to a video job's bar. */
export type NodeRole = 'sampling' | 'decode' | 'encode' | 'setup';

const encodeClasses = /CreateVideo|SaveVideo|SaveWEBM|SaveAnimated(WEBP|PNG)|VideoCombine/;

export function roleOf(classType: string | undefined): NodeRole {
  if (!classType) return 'setup';
  if (isSamplingClass(classType)) return 'sampling';
  if (/VAEDecode/.test(classType)) return 'decode';
  if (encodeClasses.test(classType)) return 'encode';
  return 'setup';
}

/** CreateVideo only wraps the frames; the node after it writes the file and takes the time. */
export function encodeWeightOf(classType: string): number {
  return classType === 'CreateVideo' ? 0.25 : 1;
}

const videoPhases: [RegExp, string][] = [
  [/^ModelSampling/, 'loading model'],
  [/CLIPVisionEncode/, 'encoding image'],
  [/^Wan.*ToVideo$|^Empty.*LatentVideo$/, 'preparing'],
  [encodeClasses, 'encoding video'],
];

/** The phase a user reads while a node of this class runs. */
export function videoPhaseOf(classType: string | undefined): string {
  if (classType)
    for (const [pattern, phase] of videoPhases) if (pattern.test(classType)) return phase;
  return phaseOf(classType);
}
