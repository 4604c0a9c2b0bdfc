import { consoleSection } from '@comfyrelay/console';
import { PLATFORM_SECTIONS, type ConfigOf } from '@comfyrelay/platform';

/**
 * Every key of the configuration `comfyrelay start` reads, in one list: the platform's own
 * (servers, dataDir, limits, logging …) and each app's. The chat frontends' sections go here
 * too, so `start` and `config check` read and report them the same way.
 */
export const START_SECTIONS = [...PLATFORM_SECTIONS, consoleSection] as const;

export type StartConfig = ConfigOf<typeof START_SECTIONS>;
