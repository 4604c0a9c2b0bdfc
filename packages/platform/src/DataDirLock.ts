import { hostname } from 'node:os';
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Another live comfyrelay holds the data directory. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by another comfyrelay (process ${pid}). Stop it first, or give this one its own data directory.`,
    );
    this.name = 'DataDirInUseError';
  }
}

/**
 * One process per data directory: two would take up the same unfinished generations and share
 * one ComfyUI client id (whose sockets then steal each other's messages). The lock is a file
 * naming its process; one left by a process that died is taken over.
 */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  static async acquire(dataDir: string): Promise<DataDirLock> {
    const path = join(dataDir, 'comfyrelay.lock');
    for (let attempt = 0; ; attempt++) {
      try {
        const file = await open(path, 'wx');
        await file.writeFile(`${process.pid} ${hostname()}\n`);
        await file.close();
        return new DataDirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      }
      const holder = await readHolder(path);
      if (holder && holder.host === hostname() && isAlive(holder.pid))
        throw new DataDirInUseError(dataDir, holder.pid);
      await unlink(path).catch(() => undefined); // left by a process that is gone
    }
  }

  async release(): Promise<void> {
    const holder = await readHolder(this.path);
    if (holder?.pid === process.pid) await unlink(this.path).catch(() => undefined);
  }
}

async function readHolder(path: string): Promise<{ pid: number; host: string } | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const [pid, host] = text.trim().split(/\s+/);
  const number = Number(pid);
  return Number.isInteger(number) && number > 0 ? { pid: number, host: host ?? '' } : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
