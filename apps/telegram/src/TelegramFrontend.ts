import {
  ChatService,
  englishWording,
  type RateLimitNotice,
  type SettingsStore,
} from '@comfyrelay/chat';
import type { ComfyRelay, Frontend, Logger } from '@comfyrelay/core';
import { sequentialize } from '@grammyjs/runner';
import { Bot } from 'grammy';
import { TelegramAdapter } from './adapter/TelegramAdapter.js';
import { TelegramStartError } from './TelegramStartError.js';
import { isUnauthorized } from './adapter/telegramErrors.js';
import { botCommands } from './botCommands.js';
import type { TelegramConfig } from './config/TelegramConfig.js';
import { redactedError, redactingLogger } from './logging/redactingLogger.js';
import { retryOutsideTheOutbox } from './transport/retryOutsideTheOutbox.js';
import { startPolling } from './transport/startPolling.js';
import { startWebhook } from './transport/startWebhook.js';
import type { Transport } from './transport/Transport.js';
import { ButtonHandler } from './updates/ButtonHandler.js';
import { CommandHandler } from './updates/CommandHandler.js';

export interface TelegramFrontendOptions {
  relay: ComfyRelay;
  config: TelegramConfig;
  logger: Logger;
  /**
   * Per-user defaults (`/settings`) and what a restart needs of the jobs shown (chat's delivery
   * notes): the platform's settings store keeps them in its data directory.
   */
  settings?: SettingsStore;
  /** Told of every 429 Telegram answered (the platform's metrics count them). */
  onRateLimited?: (notice: RateLimitNotice) => void;
}

const TELEGRAM_API_ROOT = 'https://api.telegram.org';
/** How long a stop waits for results on their way to Telegram (the rest: at the next start). */
const FINALS_AT_STOP_MS = 15_000;
/** getFile serves files up to 20 MB: the largest picture a user can give. */
const MAX_PICTURE_BYTES = 20 * 1024 * 1024;
/** A platform call may take this long: uploading a 50 MB video does. */
const CALL_TIMEOUT_MS = 120_000;

interface Running {
  bot: Bot;
  service: ChatService;
  transport: Transport;
}

/**
 * The Telegram bot on the relay: grammY for updates (long polling with its runner, or a
 * webhook), the chat layer's `ChatService` for everything a user sees, `TelegramAdapter` for
 * the Bot API calls. Jobs a restart took up are followed again in the messages they had.
 */
export class TelegramFrontend implements Frontend {
  readonly name = 'telegram';
  private readonly logger: Logger;
  private running: Running | undefined;

  constructor(private readonly options: TelegramFrontendOptions) {
    this.logger = redactingLogger(options.logger, options.config.token);
  }

  /** The bot's username, once started. */
  get username(): string | undefined {
    return this.running?.bot.botInfo.username;
  }

  /** How it gets updates, once started. */
  get mode(): Transport['mode'] | undefined {
    return this.running?.transport.mode;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const { config, relay, settings, onRateLimited } = this.options;
    const logger = this.logger;
    const apiRoot = config.apiRoot ?? TELEGRAM_API_ROOT;
    const bot = new Bot(config.token, { client: { apiRoot } });
    bot.api.config.use(retryOutsideTheOutbox());
    await this.greet(bot, apiRoot);
    const wording = englishWording;
    const adapter = new TelegramAdapter(bot.api, {
      limits: { photoBytes: config.maxPhotoSize, uploadBytes: config.maxUploadSize },
      logger,
      wording,
    });
    const service = new ChatService(relay, adapter, {
      access: { allowedChats: config.allowedChats, adminUsers: config.adminUsers },
      secret: config.buttonSecret,
      wording,
      logger,
      maxPictureBytes: MAX_PICTURE_BYTES,
      callTimeoutMs: CALL_TIMEOUT_MS,
      ...(settings ? { settings } : {}),
      ...(onRateLimited ? { onRateLimited } : {}),
    });
    adapter.useOutbox(service.updater.outbox);
    bot.catch((error) =>
      logger.error('an update could not be handled', {
        update: error.ctx.update.update_id,
        error: redactedError(error.error, config.token),
      }),
    );
    bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
    const fileRoot = `${apiRoot}/file/bot${config.token}`;
    bot.on(
      'message',
      new CommandHandler({ service, api: bot.api, fileRoot, wording, logger }).handle,
    );
    bot.on('callback_query', new ButtonHandler(service, logger).handle);
    await bot.api.setMyCommands(botCommands(service.catalog));
    await service.start();
    try {
      const transport = config.webhook
        ? await startWebhook(bot, config.webhook, logger)
        : await startPolling(bot);
      this.running = { bot, service, transport };
    } catch (error) {
      service.stop();
      service.updater.close();
      throw error;
    }
    logger.info(`Telegram bot @${bot.botInfo.username} is up (${this.running.transport.mode})`);
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    await running.transport.stop();
    await running.service.settle(FINALS_AT_STOP_MS);
    running.service.stop();
    running.service.updater.close();
  }

  /** getMe: a refused token or an unreachable Bot API stops start-up with one clear line. */
  private async greet(bot: Bot, apiRoot: string): Promise<void> {
    try {
      await bot.init();
    } catch (error) {
      const token = this.options.config.token;
      throw new TelegramStartError(
        isUnauthorized(error)
          ? 'Telegram refused the bot token (telegram.token or TELEGRAM_BOT_TOKEN): 401 Unauthorized; check it with @BotFather'
          : `the Telegram Bot API at ${apiRoot} did not answer: ${redactedError(error, token)}`,
        { cause: error },
      );
    }
  }
}
