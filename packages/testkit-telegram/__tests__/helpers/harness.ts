import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { Bot } from 'grammy';
import { afterEach } from 'vitest';
import { FakeTelegram, type FakeTelegramOptions } from '../../src/index.js';

export interface Harness {
  /** Starts a fake Telegram, stopped after the test. */
  start(options?: FakeTelegramOptions): Promise<FakeTelegram>;
  /** A grammY bot talking to the fake; its middleware errors land in `errors`. */
  bot(telegram: FakeTelegram, token?: string): Bot;
  /** Long polling with @grammyjs/runner, stopped after the test. */
  run(bot: Bot): RunnerHandle;
  /** An HTTP server on 127.0.0.1 (a webhook endpoint), closed after the test; resolves with its URL. */
  serve(handler: RequestListener): Promise<string>;
  errors: unknown[];
}

/** Per-test setup: after every test, runners stop first, then the fakes, then webhook servers. */
export function useHarness(): Harness {
  const fakes: FakeTelegram[] = [];
  const runners: RunnerHandle[] = [];
  const servers: Server[] = [];
  const errors: unknown[] = [];
  afterEach(async () => {
    await Promise.all(
      runners.splice(0).map((runner) => (runner.isRunning() ? runner.stop() : undefined)),
    );
    await Promise.all(fakes.splice(0).map((telegram) => telegram.stop()));
    await Promise.all(servers.splice(0).map(closeServer));
    errors.length = 0;
  });
  return {
    errors,
    async start(options = {}) {
      const telegram = await FakeTelegram.start(options);
      fakes.push(telegram);
      return telegram;
    },
    bot(telegram, token = telegram.token) {
      const bot = new Bot(token, { client: { apiRoot: telegram.apiRoot } });
      bot.catch((error) => {
        errors.push(error.error);
      });
      return bot;
    },
    async serve(handler) {
      const server = createServer(handler);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    },
    run(bot) {
      const runner = run(bot, { runner: { silent: true } });
      runners.push(runner);
      return runner;
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
