import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  ACTION_TOKEN_PREFIX,
  ChatService,
  englishWording,
  type RateLimitNotice,
  type SettingsStore,
} from '@comfyrelay/chat';
import type { ComfyRelay, Frontend, Logger } from '@comfyrelay/core';
import { Client, Events, GatewayIntentBits, type Interaction } from 'discord.js';
import { DiscordAdapter } from './adapter/DiscordAdapter.js';
import { rejectOutboxCallsOnRateLimit } from './adapter/rateLimits.js';
import { commandDefinitions } from './commands/commandDefinitions.js';
import { syncCommands } from './commands/syncCommands.js';
import type { BotToken } from './config/BotToken.js';
import type { DiscordConfig } from './config/DiscordConfig.js';
import { discordInviteUrl } from './discordInviteUrl.js';
import { DiscordStartError } from './DiscordStartError.js';
import { handleAutocomplete } from './interactions/handleAutocomplete.js';
import { handleButton } from './interactions/handleButton.js';
import { handleSlashCommand } from './interactions/handleSlashCommand.js';
import type { InteractionContext } from './interactions/InteractionContext.js';

/** Timings a deployment never needs to change; tests shorten some of them. */
export interface DiscordTuning {
  /** Defer an interaction not answered this long after it was created (Discord allows 3 s). */
  ackWithinMs?: number;
  /** Stop using an interaction's token at this age (it lasts 15 minutes). */
  tokenMaxAgeMs?: number;
  /** Give up starting if the gateway is not ready by then. */
  readyTimeoutMs?: number;
  /** Longest wait for a picture a user attached. */
  downloadTimeoutMs?: number;
}

export interface DiscordFrontendOptions extends DiscordTuning {
  logger: Logger;
  /**
   * Per-user defaults (`/settings`) and what a restart needs of the jobs shown (chat's delivery
   * notes): the platform's settings store keeps them in its data directory.
   */
  settings?: SettingsStore;
  /** Told of every 429 Discord answered (the platform's metrics count them). */
  onRateLimited?: (notice: RateLimitNotice) => void;
}

/** How long `stop()` lets interactions being handled finish. */
const STOP_GRACE_MS = 5_000;
/** How long `stop()` lets results on their way to Discord arrive (the rest: at the next start). */
const FINALS_AT_STOP_MS = 15_000;
/** A platform call may take this long: uploading a large result does. */
const CALL_TIMEOUT_MS = 60_000;
const MEGABYTE = 1024 * 1024;

/**
 * The Discord bot as one of the platform's frontends: it logs in, registers the catalog's
 * commands where they changed, and hands every interaction to chat's service through the
 * {@link DiscordAdapter}. Jobs a restart took up are shown again in the messages they had.
 */
export class DiscordFrontend implements Frontend {
  readonly name = 'discord';
  readonly client: Client;
  readonly adapter: DiscordAdapter;
  readonly service: ChatService;
  private readonly context: InteractionContext;
  private readonly handling = new Set<Promise<void>>();
  private accepting = false;

  constructor(
    relay: ComfyRelay,
    private readonly config: DiscordConfig,
    private readonly options: DiscordFrontendOptions,
  ) {
    const { logger } = options;
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: {
        ...(config.apiUrl !== undefined ? { api: config.apiUrl } : {}),
        rejectOnRateLimit: rejectOutboxCallsOnRateLimit,
      },
    });
    this.adapter = new DiscordAdapter(this.client.rest, {
      logger,
      ...(options.tokenMaxAgeMs !== undefined ? { tokenMaxAgeMs: options.tokenMaxAgeMs } : {}),
    });
    this.service = new ChatService(relay, this.adapter, {
      access: {
        allowedChats: config.allowedChannels,
        allowedRoles: config.allowedRoles,
        adminRoles: config.adminRoles,
        adminUsers: config.adminUsers,
        followUpsForRequesterOnly: config.buttonsForRequesterOnly,
      },
      secret: buttonSecret(config.token),
      ...(options.settings ? { settings: options.settings } : {}),
      previews: config.previews,
      maxPictureBytes: Math.round(config.maxPictureMb * MEGABYTE),
      callTimeoutMs: CALL_TIMEOUT_MS,
      ...(options.onRateLimited ? { onRateLimited: options.onRateLimited } : {}),
      wording: englishWording,
      logger,
    });
    this.context = {
      rest: this.client.rest,
      service: this.service,
      adapter: this.adapter,
      wording: englishWording,
      logger,
      ackWithinMs: options.ackWithinMs ?? 2_000,
      autocompleteWithinMs: 2_500,
      downloadTimeoutMs: options.downloadTimeoutMs ?? 15_000,
    };
  }

  /** The bot's name as Discord shows it (`render-bot#1234`), once logged in. */
  get tag(): string | undefined {
    return this.client.user?.tag;
  }

  /** Where it registers its commands: the servers of `guildIds`, else everywhere (global). */
  get commandScope(): readonly string[] | 'global' {
    return this.config.guildIds.length > 0 ? this.config.guildIds : 'global';
  }

  /** The address that adds the bot to a server, with the scopes and permissions it needs. */
  get inviteUrl(): string {
    return discordInviteUrl(this.config.applicationId);
  }

  async start(): Promise<void> {
    const { logger } = this.options;
    this.client.on(Events.InteractionCreate, (interaction) => this.route(interaction));
    this.client.on(Events.Error, (error) =>
      logger.error('discord.js reported an error', { error: String(error) }),
    );
    await this.login();
    this.accepting = true;
    const commands = commandDefinitions(this.service.catalog);
    const written = await syncCommands(
      this.client.rest,
      { applicationId: this.config.applicationId, guildIds: this.config.guildIds },
      commands,
      logger,
    );
    await this.service.start();
    logger.info(`Discord bot ready as ${this.client.user?.tag ?? 'the bot'}`, {
      commands: commands.length,
      registered: written > 0 ? 'updated' : 'unchanged',
      scope: this.config.guildIds.length > 0 ? this.config.guildIds.join(',') : 'global',
    });
  }

  /**
   * No new interactions; those being handled get a moment, results on their way get theirs to
   * arrive; unfinished jobs, and results not shown in time, are taken up at the next start.
   */
  async stop(): Promise<void> {
    this.accepting = false;
    this.service.stop();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.handling]),
      new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS))),
    ]);
    clearTimeout(timer);
    await this.service.settle(FINALS_AT_STOP_MS);
    this.service.updater.close();
    await this.client.destroy();
  }

  private async login(): Promise<void> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.options.readyTimeoutMs ?? 60_000);
    const ready = once(this.client, Events.ClientReady, { signal: timeout.signal });
    ready.catch(() => undefined);
    try {
      await this.client.login(this.config.token.reveal());
      await ready.catch(() => {
        throw new Error('the Discord gateway did not become ready in time');
      });
    } catch (error) {
      await this.client.destroy();
      throw new DiscordStartError(`could not log in to Discord: ${messageOf(error)}`, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      timeout.abort();
    }
  }

  private route(interaction: Interaction): void {
    if (!this.accepting) return;
    let work: Promise<void> | undefined;
    if (interaction.isChatInputCommand()) work = handleSlashCommand(interaction, this.context);
    else if (interaction.isAutocomplete()) work = handleAutocomplete(interaction, this.context);
    else if (interaction.isButton() && interaction.customId.startsWith(ACTION_TOKEN_PREFIX))
      work = handleButton(interaction, this.context);
    if (!work) return;
    const tracked: Promise<void> = work
      .catch((error: unknown) =>
        this.options.logger.error('an interaction could not be handled', {
          interaction: interaction.id,
          error: String(error),
        }),
      )
      .finally(() => this.handling.delete(tracked));
    this.handling.add(tracked);
  }
}

/** Button tokens are signed with a key derived from the bot token: stable across restarts. */
function buttonSecret(token: BotToken): string {
  return createHash('sha256').update(`comfyrelay buttons\0${token.reveal()}`).digest('base64url');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
