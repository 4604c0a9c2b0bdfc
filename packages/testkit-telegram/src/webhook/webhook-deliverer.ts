import type { DeliveredUpdate, FakeTelegramEvents, WebhookDelivery } from '../records.js';
import type { UpdateQueue } from '../state/update-queue.js';
import type { Update, WebhookInfo } from '../types.js';
import type { TypedEmitter } from '../util/typed-emitter.js';

export interface WebhookConfig {
  url: string;
  secretToken?: string;
  maxConnections: number;
}

export interface WebhookRetry {
  /** Delay after the first failure; it doubles up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
}

/** A webhook answer may carry one method call, which Telegram then performs. */
export type WebhookReplyHandler = (method: string, params: Record<string, unknown>) => void;

/**
 * Posts queued updates to the webhook one at a time, in order, like Telegram with one connection.
 * A non-2xx answer or a failed connection is retried with a growing delay; the update stays queued.
 */
export class WebhookDeliverer {
  private config: WebhookConfig | undefined;
  private lastError: { date: number; message: string } | undefined;
  private running = false;
  private inFlight: AbortController | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private wakeRetry: (() => void) | undefined;

  constructor(
    private readonly queue: UpdateQueue,
    private readonly events: TypedEmitter<FakeTelegramEvents>,
    private readonly retry: WebhookRetry,
    private readonly onReply: WebhookReplyHandler,
  ) {
    queue.onEnqueue(() => this.kick());
  }

  get active(): boolean {
    return this.config !== undefined;
  }

  set(config: WebhookConfig): void {
    this.stop();
    this.config = config;
    this.lastError = undefined;
    this.kick();
  }

  /** Stops delivering; an update being posted stays queued. */
  stop(): void {
    this.config = undefined;
    this.inFlight?.abort();
    clearTimeout(this.retryTimer);
    this.wakeRetry?.();
  }

  info(): WebhookInfo {
    const info: WebhookInfo = {
      url: this.config?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.queue.size,
    };
    if (this.config) info.max_connections = this.config.maxConnections;
    if (this.lastError) {
      info.last_error_date = this.lastError.date;
      info.last_error_message = this.lastError.message;
    }
    if (this.queue.allowedUpdates.length > 0) info.allowed_updates = this.queue.allowedUpdates;
    return info;
  }

  private kick(): void {
    if (this.running || !this.config) return;
    this.running = true;
    void this.deliverAll().finally(() => {
      this.running = false;
    });
  }

  private async deliverAll(): Promise<void> {
    let delayMs = this.retry.initialDelayMs;
    for (;;) {
      const config = this.config;
      const update = this.queue.peek(1)[0];
      if (!config || !update) return;
      const delivered = await this.post(config, update);
      if (this.config !== config) continue;
      if (delivered) {
        delayMs = this.retry.initialDelayMs;
        continue;
      }
      await this.pause(delayMs);
      delayMs = Math.min(delayMs * 2, this.retry.maxDelayMs);
    }
  }

  private async post(config: WebhookConfig, update: Update): Promise<boolean> {
    const controller = new AbortController();
    this.inFlight = controller;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (config.secretToken) headers['x-telegram-bot-api-secret-token'] = config.secretToken;
    let delivery: WebhookDelivery;
    let reply = '';
    try {
      const response = await fetch(config.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(update),
        signal: controller.signal,
      });
      reply = await response.text();
      delivery = { update_id: update.update_id, status: response.status, time: Date.now() };
      if (!response.ok) {
        delivery.error = `Wrong response from the webhook: ${response.status} ${response.statusText}`;
      }
    } catch (error) {
      if (controller.signal.aborted) return false;
      delivery = {
        update_id: update.update_id,
        status: 0,
        error: describe(error),
        time: Date.now(),
      };
    } finally {
      this.inFlight = undefined;
    }
    return this.settle(update, delivery, reply);
  }

  private settle(update: Update, delivery: WebhookDelivery, reply: string): boolean {
    this.events.emit('webhook', delivery);
    if (delivery.error !== undefined) {
      this.lastError = { date: Math.floor(delivery.time / 1000), message: delivery.error };
      return false;
    }
    this.queue.remove(update.update_id);
    const delivered: DeliveredUpdate = { update, via: 'webhook' };
    this.events.emit('update', delivered);
    this.performReply(reply);
    return true;
  }

  private performReply(body: string): void {
    let call: unknown;
    try {
      call = JSON.parse(body);
    } catch {
      return;
    }
    if (typeof call !== 'object' || call === null) return;
    const { method, ...params } = call as Record<string, unknown>;
    if (typeof method !== 'string') return;
    const name = method.toLowerCase();
    const refused = ['setwebhook', 'deletewebhook', 'close', 'logout'];
    if (name.startsWith('get') || refused.includes(name)) return;
    this.onReply(method, params);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeRetry = resolve;
      this.retryTimer = setTimeout(resolve, ms);
    });
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'Connection refused';
  if (cause?.code === 'ECONNRESET') return 'Connection reset by peer';
  return cause?.message ?? (error as Error).message;
}
