import { join } from 'node:path';
import { InMemoryGenerationStore } from '@comfyrelay/core';
import { SqliteGenerationStore } from '../src/index.js';
import { describeGenerationStoreContract } from './helpers/generationStoreContract.js';
import { useTemporaryDirectory } from './helpers/temporaryDirectory.js';

// The reference implementation runs the same suite: a test that fails only for SQLite is a
// SQLite bug, one that fails for both is a wrong test.
describeGenerationStoreContract('InMemoryGenerationStore', () => new InMemoryGenerationStore());

describeGenerationStoreContract('SqliteGenerationStore in memory', () =>
  SqliteGenerationStore.open({ file: ':memory:' }),
);

const directory = useTemporaryDirectory();
describeGenerationStoreContract('SqliteGenerationStore on a file', () =>
  SqliteGenerationStore.open({ dataDir: join(directory(), 'data') }),
);
