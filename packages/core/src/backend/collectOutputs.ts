import type { FileRef, NodeOutput } from '../protocol/messages.js';
import type { OutputKind, OutputSpec } from '../workflow/WorkflowDefinition.js';
import type { GenerationOutput } from '../generation/GenerationState.js';

const mimeByExtension: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  mkv: 'video/x-matroska',
};

export function mimeOf(filename: string): string {
  const extension = filename.split('.').pop()?.toLowerCase() ?? '';
  // Own keys only: a file named `x.constructor` is not a function's mime type.
  return Object.hasOwn(mimeByExtension, extension)
    ? mimeByExtension[extension]!
    : 'application/octet-stream';
}

function kindOf(mime: string, animated: boolean): OutputKind {
  if (mime.startsWith('video/')) return 'video';
  if (mime === 'image/gif' || animated) return 'animated-image';
  return 'image';
}

/** The file lists of a node's output, each with whether its files are animations. */
const fileLists: [key: 'images' | 'gifs' | 'videos', animated: boolean][] = [
  ['images', false],
  // VideoHelperSuite lists every animation (gif, webp, mp4 …) under `gifs`, without `animated`.
  ['gifs', true],
  ['videos', true],
];

/**
 * The files a finished prompt produced, from its history outputs (or the `executed` messages).
 * Saved files win over temporary previews; a workflow's declared outputs narrow the nodes.
 * Whatever the server sent is read defensively: a node output, a file list or a file that is
 * not what ComfyUI writes is skipped, and every file is a fresh `{ filename, subfolder, type }`.
 */
export function collectOutputs(
  outputs: Record<string, NodeOutput>,
  backend: string,
  specs: OutputSpec[] = [],
): GenerationOutput[] {
  if (!isRecord(outputs)) return [];
  const declared = new Map<string, OutputSpec>();
  if (Array.isArray(specs))
    for (const spec of specs)
      if (spec && typeof spec.node === 'string') declared.set(spec.node, spec);
  const found: GenerationOutput[] = [];
  for (const nodeId of Object.keys(outputs)) {
    if (declared.size > 0 && !declared.has(nodeId)) continue;
    const output: unknown = outputs[nodeId];
    if (!isRecord(output)) continue;
    const spec = declared.get(nodeId);
    const animated = Array.isArray(output['animated']) && output['animated'].some(Boolean);
    for (const [key, alwaysAnimated] of fileLists) {
      const list = output[key];
      if (!Array.isArray(list)) continue;
      for (const item of list) {
        const file = fileRefOf(item);
        if (!file) continue;
        const mime = spec?.mime ?? mimeOf(file.filename);
        const kind = spec?.kind ?? kindOf(mime, alwaysAnimated || animated);
        found.push({ nodeId, kind, mime, file, backend });
      }
    }
  }
  const saved = found.filter((output) => output.file.type === 'output');
  return saved.length > 0 ? saved : found;
}

/**
 * Whether outputs (of a history entry) hold something that is not what ComfyUI writes: not an
 * object, a node output that is not one, a file list that is not a list, a file that is not a file.
 */
export function outputsUnreadable(outputs: unknown): boolean {
  if (!isRecord(outputs)) return true;
  for (const nodeId of Object.keys(outputs)) {
    const output = outputs[nodeId];
    if (!isRecord(output)) return true;
    for (const [key] of fileLists) {
      const list = output[key];
      if (list === undefined) continue;
      if (!Array.isArray(list) || list.some((item) => !fileRefOf(item))) return true;
    }
  }
  return false;
}

/** File names ComfyUI writes are short; a longer one is not a file name. */
const MAX_FILENAME = 1_024;

function fileRefOf(value: unknown): FileRef | undefined {
  if (!isRecord(value)) return undefined;
  const { filename, subfolder, type } = value;
  if (typeof filename !== 'string' || filename.length === 0 || filename.length > MAX_FILENAME)
    return undefined;
  if (subfolder !== undefined && (typeof subfolder !== 'string' || subfolder.length > MAX_FILENAME))
    return undefined;
  if (type !== undefined && (typeof type !== 'string' || type.length > 64)) return undefined;
  return { filename, subfolder: subfolder ?? '', type: type ?? 'output' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
