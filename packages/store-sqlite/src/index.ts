export { SqliteGenerationStore } from './SqliteGenerationStore.js';
export type { SqliteStoreLocation, SqliteStoreOptions } from './SqliteStoreOptions.js';
export { SqliteStoreError, type SqliteStoreProblem } from './SqliteStoreError.js';
export type { UserSettings } from './UserSettingsTable.js';
