import type { PreviewImage } from '../protocol/messages.js';

export type BinaryFrame =
  | { kind: 'preview'; preview: PreviewImage }
  | { kind: 'text'; nodeId: string; text: string }
  /**
   * An event this version does not know, or a frame that cannot be read; then `problem` says
   * what is wrong with it, in words (`event` is -1 when not even the event type is there).
   */
  | { kind: 'unknown'; event: number; problem?: string };

const imageTypes: Record<number, string> = { 1: 'image/jpeg', 2: 'image/png', 3: 'image/webp' };

/** Event 4 metadata is a small JSON object; anything this long is not metadata. */
const MAX_METADATA = 64 * 1024;
const MAX_ID_LENGTH = 1_024;
const mimePattern = /^image\/[a-z0-9][a-z0-9.+-]{0,60}$/i;

/**
 * Decode ComfyUI's binary frames: big-endian u32 event type, then a payload per event. Never
 * throws: a frame too short for its event, a length beyond the frame, metadata that is not a
 * JSON object or a preview without image bytes comes back as `unknown` with its `problem`.
 */
export function decodeBinaryFrame(frame: Buffer): BinaryFrame {
  if (frame.length < 4)
    return {
      kind: 'unknown',
      event: -1,
      problem: `a ${frame.length}-byte frame has no event type`,
    };
  const event = frame.readUInt32BE(0);
  const known = event >= 1 && event <= 4;
  if (frame.length < 8)
    return known
      ? { kind: 'unknown', event, problem: `event ${event} is cut short (${frame.length} bytes)` }
      : { kind: 'unknown', event };
  switch (event) {
    case 1:
    case 2: {
      const imageType = frame.readUInt32BE(4);
      if (frame.length === 8) return malformed(event, 'a preview without image bytes');
      return {
        kind: 'preview',
        preview: { mime: imageTypes[imageType] ?? 'image/jpeg', data: frame.subarray(8) },
      };
    }
    case 3: {
      const idLength = frame.readUInt32BE(4);
      if (idLength > frame.length - 8)
        return malformed(
          event,
          `a node id length of ${idLength} beyond the ${frame.length}-byte frame`,
        );
      const nodeId = frame.toString('utf8', 8, 8 + idLength);
      return { kind: 'text', nodeId, text: frame.toString('utf8', 8 + idLength) };
    }
    case 4: {
      const metaLength = frame.readUInt32BE(4);
      if (metaLength > frame.length - 8)
        return malformed(
          event,
          `a metadata length of ${metaLength} beyond the ${frame.length}-byte frame`,
        );
      if (metaLength > MAX_METADATA) return malformed(event, `${metaLength} bytes of metadata`);
      const meta = jsonObject(frame.toString('utf8', 8, 8 + metaLength));
      if (!meta) return malformed(event, 'metadata that is not a JSON object');
      if (frame.length === 8 + metaLength) return malformed(event, 'a preview without image bytes');
      const promptId = meta['prompt_id'];
      if (promptId !== undefined && !isId(promptId))
        return malformed(event, 'metadata with an unreadable prompt_id');
      const imageType = meta['image_type'];
      const preview: PreviewImage = {
        mime:
          typeof imageType === 'string' && mimePattern.test(imageType) ? imageType : 'image/jpeg',
        data: frame.subarray(8 + metaLength),
      };
      if (promptId !== undefined) preview.promptId = promptId;
      const nodeId = isId(meta['display_node_id']) ? meta['display_node_id'] : meta['node_id'];
      if (isId(nodeId)) preview.nodeId = nodeId;
      return { kind: 'preview', preview };
    }
    default:
      return { kind: 'unknown', event };
  }
}

function malformed(event: number, problem: string): BinaryFrame {
  return { kind: 'unknown', event, problem: `event ${event} has ${problem}` };
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
