export { startPlatform, type Platform, type PlatformOptions } from './startPlatform.js';
export type { App, AppContext } from './App.js';
export * from './config/index.js';
