import { consoleSection } from '@comfyrelay/console';
import { discordSection } from '@comfyrelay/discord';
import { PLATFORM_SECTIONS, type ConfigOf } from '@comfyrelay/platform';
import { telegramSection } from '@comfyrelay/telegram';

/**
 * Every key of the configuration `comfyrelay start` reads, in one list: the platform's own
 * (servers, dataDir, limits, logging …) and each app's (console, discord, telegram), so `start`,
 * `discord`, `telegram` and `config check` read and report them the same way.
 */
export const START_SECTIONS = [
  ...PLATFORM_SECTIONS,
  consoleSection,
  discordSection,
  telegramSection,
] as const;

export type StartConfig = ConfigOf<typeof START_SECTIONS>;
