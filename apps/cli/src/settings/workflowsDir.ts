import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { RefusedError } from '../errors.js';
import { describeFileProblem } from '../fileProblem.js';

/**
 * The operator's folder of exported workflows: `--workflows DIR` first, then
 * COMFYRELAY_WORKFLOWS_DIR (empty means unset), relative to the user's directory. A folder that
 * was named but is not there is refused: a typo must not quietly drop every custom workflow.
 */
export async function workflowsDirFrom(
  option: string | undefined,
  env: Record<string, string | undefined>,
  cwd: string,
): Promise<string | undefined> {
  const source = option !== undefined ? '--workflows' : 'COMFYRELAY_WORKFLOWS_DIR';
  const given = option ?? env['COMFYRELAY_WORKFLOWS_DIR'];
  if (given === undefined || (option === undefined && given.trim() === '')) return undefined;
  if (given.trim() === '')
    throw new RefusedError('--workflows is empty; give the folder of your exported workflows');
  const dir = resolve(cwd, given.trim());
  let isFolder: boolean;
  try {
    isFolder = (await stat(dir)).isDirectory();
  } catch (error) {
    throw new RefusedError(`${source}: ${describeFileProblem(error, dir, 'read')}`);
  }
  if (!isFolder) throw new RefusedError(`${source}: ${dir} is a file; give the folder it is in`);
  return dir;
}
