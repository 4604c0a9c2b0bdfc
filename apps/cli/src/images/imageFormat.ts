/** Bytes enough to tell the formats below apart. */
export const IMAGE_HEADER_BYTES = 12;

/** The picture format a file starts with (PNG, JPEG, GIF, WebP), from its first bytes. */
export function imageFormat(header: Uint8Array): 'png' | 'jpeg' | 'gif' | 'webp' | undefined {
  const starts = (bytes: number[], at = 0) => bytes.every((byte, i) => header[at + i] === byte);
  if (starts([0x89, 0x50, 0x4e, 0x47])) return 'png';
  if (starts([0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts([0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  return undefined;
}
