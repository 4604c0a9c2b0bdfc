import { consoleApp, type ConsoleFrontend } from '@comfyrelay/console';
import type { Frontend } from '@comfyrelay/core';
import { discordApp, DiscordFrontend, DiscordStartError } from '@comfyrelay/discord';
import type { App } from '@comfyrelay/platform';
import { telegramApp, TelegramFrontend, TelegramStartError } from '@comfyrelay/telegram';
import { CliError, messageOf } from '../errors.js';
import type { StartConfig } from './sections.js';

/** The chat frontends of this build, by the key of their config section. */
export const CHAT_FRONTENDS = ['discord', 'telegram'] as const;
export type ChatFrontendName = (typeof CHAT_FRONTENDS)[number];

/** Which apps a command runs: `start` runs them all, `discord` and `telegram` one bot alone. */
export interface AppSelection {
  console: boolean;
  /** The chat frontends to run when their section is configured. */
  chat: readonly ChatFrontendName[];
}

export const EVERY_APP: AppSelection = { console: true, chat: CHAT_FRONTENDS };

/** A running chat frontend as the banner shows it. */
export interface ChatLine {
  name: ChatFrontendName;
  /** "ready as render-bot, its commands registered in 1 server; add it to a server: https://…" */
  text: string;
}

/** The apps a command runs, and what the banner says about them. */
export interface PlatformApps {
  apps: App[];
  /** The console's frontend, once the platform has created it (its URL once started). */
  console(): ConsoleFrontend | undefined;
  /** The chat frontends that will run, by name. */
  chat: ChatFrontendName[];
  /** One line per chat frontend, once started: who it is and how people reach it. */
  chatLines(): ChatLine[];
  /** What is configured but not run by this command, one sentence each. */
  notes: string[];
}

/** A configured chat bot: its app, its token (kept out of what is said), its banner line. */
interface ChatBot {
  name: ChatFrontendName;
  app: App;
  token: string;
  line(): string | undefined;
}

const LABEL: Record<ChatFrontendName, string> = { discord: 'Discord', telegram: 'Telegram' };

/**
 * Every app of the platform, in one place: the console, and each chat bot whose section is
 * configured (DISCORD_TOKEN, TELEGRAM_BOT_TOKEN or their keys in the config file), each in its
 * own child container on the one relay.
 */
export function appsFor(config: StartConfig, selection: AppSelection = EVERY_APP): PlatformApps {
  const apps: App[] = [];
  let operatorConsole: ConsoleFrontend | undefined;
  if (selection.console)
    apps.push(
      keeping<ConsoleFrontend>(
        consoleApp(config.console),
        (created) => (operatorConsole = created),
      ),
    );
  const running: ChatBot[] = [];
  const notes: string[] = [];
  for (const bot of configuredBots(config)) {
    if (selection.chat.includes(bot.name)) {
      running.push(bot);
      apps.push(sayingStartFailures(bot));
    } else {
      const runs = selection.chat.map((name) => LABEL[name]).join(', ');
      notes.push(
        `${LABEL[bot.name]} is configured, but this command runs only ${runs} ("comfyrelay start" runs every bot)`,
      );
    }
  }
  return {
    apps,
    console: () => operatorConsole,
    chat: running.map((bot) => bot.name),
    chatLines: () =>
      running.flatMap((bot) => {
        const text = bot.line();
        return text === undefined ? [] : [{ name: bot.name, text }];
      }),
    notes,
  };
}

function configuredBots(config: StartConfig): ChatBot[] {
  const bots: ChatBot[] = [];
  if (config.discord) {
    let frontend: DiscordFrontend | undefined;
    bots.push({
      name: 'discord',
      app: keeping<DiscordFrontend>(discordApp(config.discord), (created) => (frontend = created)),
      token: config.discord.token.reveal(),
      line: () => frontend && describeDiscord(frontend),
    });
  }
  if (config.telegram) {
    let frontend: TelegramFrontend | undefined;
    bots.push({
      name: 'telegram',
      app: keeping<TelegramFrontend>(
        telegramApp(config.telegram),
        (created) => (frontend = created),
      ),
      token: config.telegram.token,
      line: () => frontend && describeTelegram(frontend),
    });
  }
  return bots;
}

function describeDiscord(bot: DiscordFrontend): string {
  const scope = bot.commandScope;
  const where =
    scope === 'global'
      ? 'its commands registered globally'
      : `its commands registered in ${scope.length} server${scope.length === 1 ? '' : 's'}`;
  return `ready as ${bot.tag ?? 'the bot'}, ${where}; add it to a server: ${bot.inviteUrl}`;
}

function describeTelegram(bot: TelegramFrontend): string {
  const name = bot.username ?? '?';
  return `@${name} (${bot.mode ?? 'starting'}); people find it at https://t.me/${name}`;
}

/** The same app, handing its frontend to `keep` once created. */
function keeping<F extends Frontend>(app: App, keep: (frontend: F) => void): App {
  return {
    name: app.name,
    async create(context) {
      const frontend = await app.create(context);
      keep(frontend as F);
      return frontend;
    },
  };
}

/**
 * The bot's app, its start failure (a token refused, the API unreachable) said as the command's
 * own (one line, exit 1, the token never in it) instead of as an internal error.
 */
function sayingStartFailures(bot: ChatBot): App {
  return {
    name: bot.app.name,
    async create(context) {
      const frontend = await bot.app.create(context);
      return {
        name: frontend.name,
        start: () =>
          frontend.start().catch((error: unknown) => {
            const said =
              error instanceof DiscordStartError || error instanceof TelegramStartError
                ? error.message
                : `the ${LABEL[bot.name]} bot could not start: ${messageOf(error)}`;
            throw new CliError(said.split(bot.token).join('[redacted]'), { cause: error });
          }),
        stop: () => frontend.stop(),
      };
    },
  };
}
