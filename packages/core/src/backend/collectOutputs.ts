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
  return mimeByExtension[extension] ?? 'application/octet-stream';
}

function kindOf(mime: string, animated: boolean): OutputKind {
  if (mime.startsWith('video/')) return 'video';
  if (mime === 'image/gif' || animated) return 'animated-image';
  return 'image';
}

/**
 * The files a finished prompt produced, from its history outputs (or the `executed` messages).
 * Saved files win over temporary previews; a workflow's declared outputs narrow the nodes.
 */
export function collectOutputs(
  outputs: Record<string, NodeOutput>,
  backend: string,
  specs: OutputSpec[] = [],
): GenerationOutput[] {
  const declared = new Map(specs.filter((s) => s.node).map((s) => [s.node as string, s]));
  const found: GenerationOutput[] = [];
  for (const [nodeId, output] of Object.entries(outputs)) {
    if (declared.size > 0 && !declared.has(nodeId)) continue;
    const spec = declared.get(nodeId);
    const animated = Array.isArray(output.animated) && output.animated.some(Boolean);
    // VideoHelperSuite lists every animation (gif, webp, mp4 …) under `gifs`, without `animated`.
    const files: [FileRef, boolean][] = [
      ...(output.images ?? []).map((file): [FileRef, boolean] => [file, animated]),
      ...(output.gifs ?? []).map((file): [FileRef, boolean] => [file, true]),
      ...(output.videos ?? []).map((file): [FileRef, boolean] => [file, true]),
    ];
    for (const [file, isAnimated] of files) {
      if (!file || typeof file.filename !== 'string') continue;
      const mime = spec?.mime ?? mimeOf(file.filename);
      found.push({ nodeId, kind: spec?.kind ?? kindOf(mime, isAnimated), mime, file, backend });
    }
  }
  const saved = found.filter((output) => output.file.type === 'output');
  return saved.length > 0 ? saved : found;
}
