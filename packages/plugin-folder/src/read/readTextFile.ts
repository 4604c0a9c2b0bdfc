import { readFile } from 'node:fs/promises';

export type TextFileRead =
  | { ok: true; text: string }
  | {
      ok: false;
      notFound: boolean;
      /** Why, in plain words: never an errno code. */
      reason: string;
    };

/** A UTF-8 file's text, or why it could not be read. */
export async function readTextFile(path: string): Promise<TextFileRead> {
  try {
    return { ok: true, text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const notFound = code === 'ENOENT' || code === 'ENOTDIR';
    return { ok: false, notFound, reason: notFound ? 'no such file' : reasonOf(error, code) };
  }
}

function reasonOf(error: unknown, code: string | undefined): string {
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  const message = error instanceof Error ? error.message : String(error);
  // Node words it "EMFILE: too many open files, open '/path'": keep only the words.
  return message.replace(/^[A-Z0-9_]+: /, '').replace(/, \w+ '.*'$/, '');
}
