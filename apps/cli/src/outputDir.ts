import { constants } from 'node:fs';
import { access, mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RefusedError } from './errors.js';
import { describeFileProblem } from './fileProblem.js';

/**
 * Makes sure outputs can be saved in `dir` before anything is submitted: it is created when
 * missing (each level on its own: Node's recursive mkdir can spin forever under /proc) and a
 * file is written into it and removed, which is the one test a read-only disk cannot fool.
 */
export async function prepareOutputDir(dir: string, option = '--out'): Promise<void> {
  const refuse = (why: string) =>
    new RefusedError(`${option}: outputs cannot be saved in ${dir}: ${why}`);
  await createFolder(dir, refuse);
  const probe = join(dir, `.comfyrelay-write-check-${process.pid}`);
  try {
    const file = await open(probe, 'wx');
    await file.close();
  } catch (error) {
    throw refuse(describeFileProblem(error, 'it', 'write'));
  }
  await rm(probe, { force: true });
}

async function createFolder(dir: string, refuse: (why: string) => RefusedError): Promise<void> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => error);
  if (!(info instanceof Error)) {
    if (!info.isDirectory()) throw refuse('it is a file, not a folder');
    return;
  }
  if (info.code !== 'ENOENT') throw refuse(describeFileProblem(info, 'it', 'write'));
  const parent = dirname(dir);
  if (parent === dir) throw refuse(describeFileProblem(info, 'it', 'create'));
  await createFolder(parent, refuse);
  try {
    await access(parent, constants.W_OK);
    await mkdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw refuse(describeFileProblem(error, 'it', 'create'));
  }
}
