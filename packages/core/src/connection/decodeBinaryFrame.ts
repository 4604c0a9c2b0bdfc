import type { PreviewImage } from '../protocol/messages.js';

export type BinaryFrame =
  | { kind: 'preview'; preview: PreviewImage }
  | { kind: 'text'; nodeId: string; text: string }
  | { kind: 'unknown'; event: number };

const imageTypes: Record<number, string> = { 1: 'image/jpeg', 2: 'image/png', 3: 'image/webp' };

/** Decode ComfyUI's binary frames: big-endian u32 event type, then a payload per event. */
export function decodeBinaryFrame(frame: Buffer): BinaryFrame {
  if (frame.length < 8)
    return { kind: 'unknown', event: frame.length >= 4 ? frame.readUInt32BE(0) : -1 };
  const event = frame.readUInt32BE(0);
  switch (event) {
    case 1:
    case 2: {
      const imageType = frame.readUInt32BE(4);
      return {
        kind: 'preview',
        preview: { mime: imageTypes[imageType] ?? 'image/jpeg', data: frame.subarray(8) },
      };
    }
    case 3: {
      const idLength = frame.readUInt32BE(4);
      const nodeId = frame.toString('utf8', 8, 8 + idLength);
      return { kind: 'text', nodeId, text: frame.toString('utf8', 8 + idLength) };
    }
    case 4: {
      const metaLength = frame.readUInt32BE(4);
      const meta = safeJson(frame.toString('utf8', 8, 8 + metaLength));
      const preview: PreviewImage = {
        mime: typeof meta['image_type'] === 'string' ? meta['image_type'] : 'image/jpeg',
        data: frame.subarray(8 + metaLength),
      };
      if (typeof meta['prompt_id'] === 'string') preview.promptId = meta['prompt_id'];
      const nodeId = meta['display_node_id'] ?? meta['node_id'];
      if (typeof nodeId === 'string') preview.nodeId = nodeId;
      return { kind: 'preview', preview };
    }
    default:
      return { kind: 'unknown', event };
  }
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
