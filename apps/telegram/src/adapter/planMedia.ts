import { fitOutput, type OutgoingFile } from '@comfyrelay/chat';
import sharp from 'sharp';

/** How Telegram shows a file: each has its own method and limits. */
export type MediaKind = 'photo' | 'animation' | 'video' | 'document';

export type PlannedMedia =
  | {
      kind: MediaKind;
      file: OutgoingFile;
      /** The picture was recompressed to be a photo: the original, to send as a file. */
      original?: OutgoingFile;
    }
  | { refused: string };

export interface MediaLimits {
  photoBytes: number;
  uploadBytes: number;
}

/** Telegram's rules for photos besides their size. */
const MAX_PHOTO_SIDES = 10_000;
const MAX_PHOTO_RATIO = 20;

/**
 * How to send a file within Telegram's limits: pictures as photos (recompressed when too
 * large, the original offered as a document), GIFs and MP4 animations as animations, MP4s as
 * videos, everything else (and pictures no photo can show) as documents; a file no method takes
 * is refused in words.
 */
export async function planMedia(file: OutgoingFile, limits: MediaLimits): Promise<PlannedMedia> {
  switch (file.kind) {
    case 'image':
      if (file.mime === 'image/gif') return within('animation', file, limits);
      return (await hasPhotoShape(file)) ? asPhoto(file, limits) : within('document', file, limits);
    case 'animation':
      return file.mime === 'image/gif' || file.mime === 'video/mp4'
        ? within('animation', file, limits)
        : within('document', file, limits);
    case 'video':
      return within(file.mime === 'video/mp4' ? 'video' : 'document', file, limits);
    case 'document':
      return within('document', file, limits);
  }
}

async function asPhoto(file: OutgoingFile, limits: MediaLimits): Promise<PlannedMedia> {
  if (file.data.length <= limits.photoBytes) return { kind: 'photo', file };
  const fitted = await fitOutput(file, limits.photoBytes);
  if (!fitted.ok) return within('document', file, limits);
  const photo: OutgoingFile = {
    ...file,
    data: fitted.data,
    mime: fitted.mime,
    filename: `${stem(file.filename)}.${fitted.extension}`,
  };
  if (file.data.length > limits.uploadBytes) return { kind: 'photo', file: photo };
  return { kind: 'photo', file: photo, original: { ...file, kind: 'document' } };
}

/** Sent as `kind` as it is, or made small enough, or refused in words. */
async function within(
  kind: MediaKind,
  file: OutgoingFile,
  limits: MediaLimits,
): Promise<PlannedMedia> {
  if (file.data.length <= limits.uploadBytes) return { kind, file };
  const fitted = await fitOutput(file, limits.uploadBytes);
  if (!fitted.ok) return { refused: fitted.message };
  return {
    kind,
    file: {
      ...file,
      data: fitted.data,
      mime: fitted.mime,
      filename: `${stem(file.filename)}.${fitted.extension}`,
    },
  };
}

async function hasPhotoShape(file: OutgoingFile): Promise<boolean> {
  let { width, height } = file;
  if (width === undefined || height === undefined) {
    const meta = await sharp(file.data)
      .metadata()
      .catch(() => undefined);
    if (!meta) return false;
    ({ width, height } = meta);
  }
  if (width <= 0 || height <= 0) return false;
  return (
    width + height <= MAX_PHOTO_SIDES &&
    Math.max(width, height) / Math.min(width, height) <= MAX_PHOTO_RATIO
  );
}

function stem(filename: string): string {
  return filename.replace(/\.[^.]*$/, '');
}
