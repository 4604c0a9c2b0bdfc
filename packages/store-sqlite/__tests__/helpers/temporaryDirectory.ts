import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh directory for each test, removed after it. Call at the top of a `describe`. */
export function useTemporaryDirectory(): () => string {
  let directory: string | undefined;
  afterEach(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });
  return () => (directory ??= mkdtempSync(join(tmpdir(), 'store-sqlite-')));
}
