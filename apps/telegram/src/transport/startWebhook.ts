import { createServer, type Server } from 'node:http';
import type { Logger } from '@comfyrelay/core';
import { webhookCallback, type Bot } from 'grammy';
import type { WebhookConfig } from '../config/TelegramConfig.js';
import { TelegramStartError } from '../TelegramStartError.js';
import { ALLOWED_UPDATES, type Transport } from './Transport.js';

/**
 * Webhook mode: an HTTP server on `host:port` takes Telegram's posts at the URL's path; grammY
 * refuses (401) every post without the secret token. An update still being handled after a few
 * seconds is acknowledged anyway, so Telegram neither waits nor sends it again.
 */
export async function startWebhook(
  bot: Bot,
  webhook: WebhookConfig,
  logger: Logger,
): Promise<Transport> {
  const handle = webhookCallback(bot, 'http', {
    secretToken: webhook.secret,
    onTimeout: 'return',
    timeoutMilliseconds: 5_000,
  });
  const path = new URL(webhook.url).pathname;
  const server = createServer((request, response) => {
    const requested = new URL(request.url ?? '/', 'http://webhook').pathname;
    if (request.method !== 'POST' || requested !== path) {
      response.writeHead(404).end();
      return;
    }
    handle(request, response).catch((error: unknown) => {
      logger.warn('a webhook update could not be handled', { error: String(error) });
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await listen(server, webhook.port, webhook.host).catch((error: unknown) => {
    throw new TelegramStartError(
      `the webhook server cannot listen on ${webhook.host}:${webhook.port}: ${listenProblem(error)}; set another with TELEGRAM_WEBHOOK_HOST / TELEGRAM_WEBHOOK_PORT (telegram.webhook.host / .port)`,
      { cause: error },
    );
  });
  try {
    await bot.api.setWebhook(webhook.url, {
      secret_token: webhook.secret,
      allowed_updates: ALLOWED_UPDATES,
    });
  } catch (error) {
    await close(server);
    throw error;
  }
  return { mode: 'webhook', stop: () => close(server) };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Stops listening; requests in progress finish first (the webhook stays set for the next start). */
function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

function listenProblem(error: unknown): string {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return 'the port is in use';
    case 'EACCES':
      return 'the port needs administrator rights (use one above 1023 behind a proxy)';
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return 'that is not an address of this machine';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
