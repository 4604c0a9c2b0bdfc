export { DataDirInUseError } from './DataDirLock.js';
export { startPlatform, type Platform, type PlatformOptions } from './startPlatform.js';
export type { App, AppContext } from './App.js';
export {
  PlatformMetrics,
  type RateLimitNotice,
  type StoreOperation,
  type StoreTimingObserver,
} from './metrics/PlatformMetrics.js';
export { TimedGenerationStore } from './metrics/TimedGenerationStore.js';
export * from './config/index.js';
export {
  createPlatformLogger,
  type PlatformLoggerOptions,
} from './logging/createPlatformLogger.js';
export { REDACTED } from './logging/redactSecrets.js';
export {
  runStandaloneApp,
  type StandaloneApp,
  type StandaloneIo,
} from './standalone/runStandaloneApp.js';
export { runAsProgram } from './standalone/runAsProgram.js';
