import type { ApiNode, OutputSpec } from '@comfyrelay/core';
import type { GraphIndex } from './GraphIndex.js';
import { OUTPUT_CLASSES, type OutputClass } from './nodeClasses.js';

/** The files a chat command delivers: one spec per save/preview node, kind and MIME type from its class (and format). */
export function detectOutputs(index: GraphIndex): OutputSpec[] {
  return index.order.flatMap((id) => {
    const node = index.node(id);
    const known = node ? outputClassOf(node) : undefined;
    if (!known) return [];
    return [{ node: id, kind: known.kind, ...(known.mime ? { mime: known.mime } : {}) }];
  });
}

export function outputClassOf(node: ApiNode): OutputClass | undefined {
  if (node.class_type === 'VHS_VideoCombine') return videoCombineOutput(node.inputs['format']);
  if (node.class_type === 'SaveVideo') {
    const format = node.inputs['format'];
    return typeof format === 'string' && /webm/i.test(format)
      ? { kind: 'video', mime: 'video/webm' }
      : { kind: 'video', mime: 'video/mp4' };
  }
  return Object.hasOwn(OUTPUT_CLASSES, node.class_type)
    ? OUTPUT_CLASSES[node.class_type]
    : undefined;
}

/** Video Helper Suite names its formats "image/gif", "image/webp", "video/h264-mp4", "video/webm", "video/ProRes" … */
function videoCombineOutput(format: unknown): OutputClass {
  if (typeof format !== 'string') return { kind: 'video' };
  if (format.startsWith('image/')) return { kind: 'animated-image', mime: format };
  if (/gif$/i.test(format)) return { kind: 'animated-image', mime: 'image/gif' };
  if (/mp4$/i.test(format)) return { kind: 'video', mime: 'video/mp4' };
  if (/webm$/i.test(format)) return { kind: 'video', mime: 'video/webm' };
  if (/prores|mov$/i.test(format)) return { kind: 'video', mime: 'video/quicktime' };
  if (/mkv$/i.test(format)) return { kind: 'video', mime: 'video/x-matroska' };
  return { kind: 'video' };
}
