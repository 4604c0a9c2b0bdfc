import { isAbsolute, relative } from 'node:path';

/** A saved file as a person reads it: relative to the working directory when it is inside it. */
export function displayPath(path: string, cwd: string): string {
  const inside = relative(cwd, path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}

/** "sampling 3/12" → "sampling" when the step is shown on its own. */
export function phaseWithoutStep(
  phase: string,
  step: number | null | undefined,
  stepTotal: number | null | undefined,
): string {
  if (step == null || stepTotal == null) return phase;
  const suffix = ` ${step}/${stepTotal}`;
  return phase.endsWith(suffix) ? phase.slice(0, -suffix.length) : phase;
}
