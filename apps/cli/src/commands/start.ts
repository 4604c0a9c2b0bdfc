import { UsageError } from '../errors.js';
import { EVERY_APP } from '../platform/appsFor.js';
import { platformCommand } from '../platform/platformCommand.js';
import { START_USAGE } from '../usage.js';

/** The whole platform: the relay, its store, the console and every configured chat bot. */
export const startCommand = platformCommand('start', START_USAGE, {
  selection: EVERY_APP,
  before: refuseRemovedOptions,
});

/** Options of earlier builds, answered with what replaced them. */
function refuseRemovedOptions(argv: readonly string[]): void {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  if (options.some((arg) => arg === '--events-port' || arg.startsWith('--events-port=')))
    throw new UsageError(
      "--events-port is gone: the console serves the event stream now (ws://HOST:PORT/events, on the console's port); set that port with --port",
    );
}
