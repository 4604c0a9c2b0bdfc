import path from 'node:path';

export type FolderType = 'output' | 'input' | 'temp';

export interface SimDirs {
  readonly output: string;
  readonly input: string;
  readonly temp: string;
}

export function isFolderType(value: unknown): value is FolderType {
  return value === 'output' || value === 'input' || value === 'temp';
}

/** ComfyUI's annotated names: "name.png [output]" picks the folder explicitly. */
export function parseAnnotatedName(name: string): { name: string; type: FolderType | undefined } {
  const match = /^(.*) \[(output|input|temp)\]$/.exec(name);
  if (!match) return { name, type: undefined };
  return { name: match[1] ?? '', type: match[2] as FolderType };
}

/** True when `candidate` is `root` itself or lies beneath it. */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
