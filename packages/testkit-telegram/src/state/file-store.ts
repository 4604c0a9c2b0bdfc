import { createHash, randomBytes } from 'node:crypto';
import type { PhotoSize } from '../types.js';
import { imageSize } from '../util/image-size.js';

export type FileFolder = 'photos' | 'documents' | 'videos' | 'animations';

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  bytes: Buffer;
  /** Relative path served at /file/bot<token>/<file_path>. */
  file_path: string;
  folder: FileFolder;
  file_name?: string;
  mime_type?: string;
}

/** Telegram's standard photo sides; every smaller side gets its own PhotoSize. */
const PHOTO_SIDES = [90, 320, 800, 1280];
const DEFAULT_PHOTO_SIZE = { width: 800, height: 600 };

/** Every file the fake knows: uploads by the bot and photos sent by test users. */
export class FileStore {
  private readonly byId = new Map<string, StoredFile>();
  private readonly byPath = new Map<string, StoredFile>();
  /** Every size of a photo, under the file_id of each of its sizes. */
  private readonly photoSizes = new Map<string, PhotoSize[]>();
  private counter = 0;

  add(
    bytes: Buffer,
    folder: FileFolder,
    details: { file_name?: string; mime_type?: string; extension?: string } = {},
  ): StoredFile {
    const number = this.counter++;
    const extension =
      details.extension ?? extensionOf(details.file_name) ?? defaultExtension(folder);
    const file: StoredFile = {
      file_id: newFileId(folder),
      file_unique_id: uniqueId(bytes, number),
      bytes,
      file_path: `${folder}/file_${number}.${extension}`,
      folder,
    };
    if (details.file_name !== undefined) file.file_name = details.file_name;
    if (details.mime_type !== undefined) file.mime_type = details.mime_type;
    this.byId.set(file.file_id, file);
    this.byPath.set(file.file_path, file);
    return file;
  }

  /**
   * Stores a photo the way Telegram presents it: one PhotoSize per standard side below the
   * original, plus the original. The fake does not resample, so every size serves the same bytes.
   */
  addPhoto(bytes: Buffer, size?: { width: number; height: number }): PhotoSize[] {
    const original = size ?? imageSize(bytes) ?? DEFAULT_PHOTO_SIZE;
    const longest = Math.max(original.width, original.height);
    const sides = [...PHOTO_SIDES.filter((side) => side < longest), longest];
    const sizes = sides.map((side): PhotoSize => {
      const scale = side / longest;
      const width = Math.max(1, Math.round(original.width * scale));
      const height = Math.max(1, Math.round(original.height * scale));
      const file = this.add(bytes, 'photos', { extension: 'jpg' });
      return {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_size: bytes.length,
        width,
        height,
      };
    });
    for (const size of sizes) this.photoSizes.set(size.file_id, sizes);
    return sizes;
  }

  /** All sizes of the photo one of whose sizes has this file_id. */
  sizesOfPhoto(fileId: string): PhotoSize[] | undefined {
    return this.photoSizes.get(fileId);
  }

  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId);
  }

  getByPath(filePath: string): StoredFile | undefined {
    return this.byPath.get(filePath);
  }
}

const FILE_ID_PREFIX: Record<FileFolder, string> = {
  photos: 'AgACAgIAAxk',
  documents: 'BQACAgIAAxk',
  videos: 'BAACAgIAAxk',
  animations: 'CgACAgIAAxk',
};

function newFileId(folder: FileFolder): string {
  return FILE_ID_PREFIX[folder] + randomBytes(36).toString('base64url');
}

function uniqueId(bytes: Buffer, number: number): string {
  return createHash('sha256').update(bytes).update(String(number)).digest('base64url').slice(0, 16);
}

function extensionOf(fileName: string | undefined): string | undefined {
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(fileName ?? '');
  return match?.[1]?.toLowerCase();
}

function defaultExtension(folder: FileFolder): string {
  return folder === 'photos' ? 'jpg' : folder === 'documents' ? 'dat' : 'mp4';
}
