import { encodePng } from '../image/png-encode.js';
import type { RgbImage } from '../image/rgb-image.js';
import {
  IMAGE_TYPE_PNG,
  previewImageFrame,
  previewWithMetadataFrame,
} from '../ws/binary-frames.js';
import type { ProgressState } from './progress-state.js';
import type { MessageSink } from './run-result.js';

export interface StepReport {
  promptId: string;
  clientId: unknown;
  nodeId: string;
  value: number;
  max: number;
}

/**
 * One sampler step on the wire: progress_state, [preview event 4], progress, [preview event 1].
 * Event 4 goes to a client that announced supports_preview_metadata, event 1 to everyone else.
 */
export function sendStep(
  sink: MessageSink,
  progress: ProgressState,
  step: StepReport,
  preview?: RgbImage,
): void {
  const { promptId, clientId, nodeId, value, max } = step;
  const png = preview ? encodePng(preview, {}, 1) : undefined;
  const withMetadata = sink.supportsPreviewMetadata(clientId);
  progress.update(nodeId, value, max);
  if (png && withMetadata) {
    const metadata = {
      node_id: nodeId,
      prompt_id: promptId,
      display_node_id: nodeId,
      parent_node_id: null,
      real_node_id: nodeId,
      image_type: 'image/png',
    };
    sink.sendBinary(previewWithMetadataFrame(metadata, png), clientId);
  }
  sink.sendJson('progress', { value, max, prompt_id: promptId, node: nodeId }, clientId);
  if (png && !withMetadata) sink.sendBinary(previewImageFrame(IMAGE_TYPE_PNG, png), clientId);
}
