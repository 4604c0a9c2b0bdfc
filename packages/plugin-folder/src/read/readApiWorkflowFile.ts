import { readApiWorkflowText } from './readApiWorkflowText.js';
import type { ReadApiWorkflowOptions, ReadApiWorkflowResult } from './ReadApiWorkflowResult.js';
import { readTextFile } from './readTextFile.js';

/**
 * {@link readApiWorkflowText} on a file. A missing file, a folder or a file we may not read is
 * a problem in plain words, never an exception.
 */
export async function readApiWorkflowFile(
  path: string,
  options: ReadApiWorkflowOptions = {},
): Promise<ReadApiWorkflowResult> {
  const read = await readTextFile(path);
  if (read.ok) return readApiWorkflowText(read.text, options);
  return {
    ok: false,
    problems: [
      { code: 'unreadable', severity: 'error', message: `cannot read ${path}: ${read.reason}` },
    ],
    ...(read.notFound ? { notFound: true as const } : {}),
  };
}
