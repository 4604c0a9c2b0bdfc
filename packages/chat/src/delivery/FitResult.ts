/** An output ready to upload: the original when it fits, else a smaller copy. */
export interface FittedOutput {
  ok: true;
  data: Uint8Array;
  mime: string;
  /** File extension for the upload's name (`png`, `jpg`, `webp`, `mp4` …). */
  extension: string;
  /** False when these are the original bytes. */
  changed: boolean;
}

/**
 * Nothing small enough could be made (`too-large`), there is no encoder for it (`no-encoder`),
 * or the encoder could not read it (`unreadable`, with the `cause` for the log); `message`
 * says so in words.
 */
export interface UnfittableOutput {
  ok: false;
  problem: 'too-large' | 'no-encoder' | 'unreadable';
  size: number;
  limit: number;
  message: string;
  cause?: unknown;
}

export type FitResult = FittedOutput | UnfittableOutput;

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
};

export function extensionOf(mime: string): string {
  return EXTENSIONS[mime] ?? mime.split('/')[1]?.replace(/[^a-z0-9]/g, '') ?? 'bin';
}
