import { pyJson } from '../util/py-json.js';

/** ComfyUI's BinaryEventTypes. */
export const PREVIEW_IMAGE = 1;
export const PREVIEW_IMAGE_WITH_METADATA = 4;

/** Image type codes in a PREVIEW_IMAGE frame. */
export const IMAGE_TYPE_JPEG = 1;
export const IMAGE_TYPE_PNG = 2;

export interface PreviewMetadata {
  node_id: string;
  prompt_id: string;
  display_node_id: string;
  parent_node_id: string | null;
  real_node_id: string;
  image_type: string;
}

/** `[u32 1][u32 imageType][image bytes]`, big-endian. */
export function previewImageFrame(imageType: number, image: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(PREVIEW_IMAGE, 0);
  header.writeUInt32BE(imageType, 4);
  return Buffer.concat([header, image]);
}

/** `[u32 4][u32 metadataLength][metadata JSON][image bytes]`, big-endian. */
export function previewWithMetadataFrame(metadata: PreviewMetadata, image: Buffer): Buffer {
  const json = Buffer.from(pyJson(metadata), 'utf8');
  const header = Buffer.alloc(8);
  header.writeUInt32BE(PREVIEW_IMAGE_WITH_METADATA, 0);
  header.writeUInt32BE(json.length, 4);
  return Buffer.concat([header, json, image]);
}
