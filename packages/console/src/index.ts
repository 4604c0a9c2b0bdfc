// The operator's console: deliver it as a platform app, or start it on a relay (tests, tools).
export { consoleApp, type ConsoleFrontend } from './consoleApp.js';
export { startConsole, EVENT_STREAM_PATH, type RunningConsole } from './startConsole.js';
export type { ConsoleOptions } from './ConsoleOptions.js';
export { consoleSection, DEFAULT_CONSOLE_PORT } from './consoleSection.js';

// For other servers that want the same access rule.
export { AccessPolicy, type AccessDecision, type AccessRequest } from './access/AccessPolicy.js';
export { isLoopbackAddress } from './access/isLoopbackAddress.js';
