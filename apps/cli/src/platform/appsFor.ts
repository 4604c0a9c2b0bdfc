import { consoleApp, type ConsoleFrontend } from '@comfyrelay/console';
import type { Frontend } from '@comfyrelay/core';
import type { App } from '@comfyrelay/platform';
import type { StartConfig } from './sections.js';

/** Chat frontends a later build adds, by the variable that switches each on. */
export const PLANNED_FRONTENDS = [
  { variable: 'DISCORD_TOKEN', name: 'Discord' },
  { variable: 'TELEGRAM_BOT_TOKEN', name: 'Telegram' },
] as const;

/** The apps `comfyrelay start` runs, and what the banner says about them. */
export interface PlatformApps {
  apps: App[];
  /** The console's frontend, once the platform has created it (its URL once started). */
  console(): ConsoleFrontend | undefined;
  /** The chat frontends that will run, by name. */
  chat: string[];
  /** What is noticed but not run, one sentence each. */
  notes: string[];
}

/**
 * Every app of the platform, in one place: the console always; each chat frontend when its
 * credentials are configured. (The Discord and Telegram apps join here; until then a token
 * that is set is only noticed.)
 */
export function appsFor(
  config: StartConfig,
  env: Record<string, string | undefined>,
): PlatformApps {
  let frontend: ConsoleFrontend | undefined;
  const operatorConsole = keeping(consoleApp(config.console), (created) => {
    frontend = created as ConsoleFrontend;
  });
  const notes = PLANNED_FRONTENDS.filter(({ variable }) => env[variable]?.trim()).map(
    ({ variable, name }) =>
      `${variable} is set, but the ${name} frontend is not part of this build yet`,
  );
  return { apps: [operatorConsole], console: () => frontend, chat: [], notes };
}

/** The values of the planned frontends' variables: secrets for the logger before they have a config section. */
export function plannedFrontendSecrets(env: Record<string, string | undefined>): string[] {
  return PLANNED_FRONTENDS.map(({ variable }) => env[variable]?.trim()).filter(
    (value): value is string => value !== undefined && value !== '',
  );
}

/** The same app, handing its frontend to `keep` once created. */
function keeping(app: App, keep: (frontend: Frontend) => void): App {
  return {
    name: app.name,
    async create(context) {
      const frontend = await app.create(context);
      keep(frontend);
      return frontend;
    },
  };
}
