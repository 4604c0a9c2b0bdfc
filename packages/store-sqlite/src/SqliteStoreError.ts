import { ComfyRelayError } from '@comfyrelay/core';

/** What went wrong with the store, for code that reacts to it (the message is for people). */
export type SqliteStoreProblem =
  | 'data-directory'
  | 'cannot-open'
  | 'locked'
  | 'not-a-database'
  | 'damaged'
  | 'foreign-database'
  | 'newer-schema'
  | 'read-only'
  | 'disk-full'
  | 'disk-error'
  | 'closed'
  | 'failed';

/** A store failure in words; the SQLite or file system error stays in `cause` for the log. */
export class SqliteStoreError extends ComfyRelayError {
  constructor(
    readonly problem: SqliteStoreProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const fileSystemReasons: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of that path is a file, not a directory',
  EEXIST: 'a file of that name is in the way',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
};

export function dataDirectoryError(dataDir: string, cause: unknown): SqliteStoreError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code && fileSystemReasons[code]) ?? String((cause as Error)?.message ?? cause);
  return new SqliteStoreError(
    'data-directory',
    `cannot open the data directory ${dataDir}: ${reason}`,
    { cause },
  );
}

export function newerSchemaError(path: string, found: number, known: number): SqliteStoreError {
  return new SqliteStoreError(
    'newer-schema',
    `the database ${path} was written by a newer comfyrelay (schema ${found}, this build knows ${known}): upgrade comfyrelay or use another data directory`,
  );
}

export function foreignDatabaseError(path: string): SqliteStoreError {
  return new SqliteStoreError(
    'foreign-database',
    `the database ${path} belongs to another application, not comfyrelay: use another data directory`,
  );
}

/**
 * Turns what better-sqlite3 threw into a sentence naming the file. Anything else (a record
 * JSON cannot hold, a bug) is returned as it was: blaming the database for it would mislead.
 */
export function describeSqliteError(cause: unknown, path: string): unknown {
  if (cause instanceof SqliteStoreError) return cause;
  const code = String((cause as { code?: unknown } | undefined)?.code ?? '');
  const closed = cause instanceof Error && /database connection is not open/.test(cause.message);
  if (!code.startsWith('SQLITE_') && !closed) return cause;
  const [problem, message] = closed
    ? (['closed', `the store on ${path} is closed`] as const)
    : classify(code, path, cause);
  return new SqliteStoreError(problem, message, { cause });
}

function classify(code: string, path: string, cause: unknown): [SqliteStoreProblem, string] {
  // Extended result codes (SQLITE_BUSY_SNAPSHOT, SQLITE_IOERR_WRITE …) share their base's meaning.
  const base = code.split('_').slice(0, 2).join('_');
  switch (base) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return ['locked', `the database ${path} is locked by another process`];
    case 'SQLITE_NOTADB':
      return ['not-a-database', `the file ${path} is not a database`];
    case 'SQLITE_CORRUPT':
      return ['damaged', `the database ${path} is damaged`];
    case 'SQLITE_READONLY':
      return ['read-only', `the database ${path} cannot be written (it is read-only)`];
    case 'SQLITE_FULL':
      return ['disk-full', `the disk holding the database ${path} is full`];
    case 'SQLITE_IOERR':
      return ['disk-error', `the disk failed while reading or writing the database ${path}`];
    case 'SQLITE_CANTOPEN':
      return ['cannot-open', `cannot open the database ${path}`];
  }
  const detail = cause instanceof Error ? cause.message : String(cause);
  return ['failed', `the database ${path} failed: ${detail} (${code})`];
}
