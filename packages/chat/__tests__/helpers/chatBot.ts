import {
  createRelayContainer,
  ComfyRelay,
  InMemoryGenerationStore,
  silentLogger,
  type RelayConfig,
} from '@comfyrelay/core';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { imagePlugin } from '@comfyrelay/plugin-image';
import { afterEach } from 'vitest';
import {
  ChatService,
  InMemorySettingsStore,
  type ChatServiceOptions,
  type Invocation,
  type MessageRef,
  type Requester,
  type SettingsStore,
} from '../../src/index.js';
import { FakeChatAdapter, type FakeMessage } from '../../src/testing.js';

export const ann: Requester = {
  platform: 'fake',
  userId: 'ann',
  displayName: '@ann',
  chatId: 'room',
};
export const bob: Requester = {
  platform: 'fake',
  userId: 'bob',
  displayName: '@bob',
  chatId: 'room',
};

export interface Bot {
  relay: ComfyRelay;
  adapter: FakeChatAdapter;
  service: ChatService;
  /** Run a command as `who` (text arguments, as on Telegram); resolves with the reply, if any. */
  say(
    who: Requester,
    command: string,
    text?: string,
  ): Promise<{ reply?: string; opened?: MessageRef }>;
  /** The message a job was followed in, once it shows its final state. */
  finalOf(ref: MessageRef): Promise<FakeMessage>;
  press(who: Requester, message: MessageRef, label: RegExp): Promise<void>;
  /** The bot goes (its relay too); the platform and the stores stay. */
  stop(): Promise<void>;
}

/** What a bot stands on: kept across a restart, as a data directory and the platform are. */
export interface BotWorld {
  store?: InMemoryGenerationStore;
  settings?: SettingsStore;
  adapter?: FakeChatAdapter;
  relay?: Partial<Omit<RelayConfig, 'backends'>>;
}

/** Call at the top of a test file: simulators and bots are stopped after each test. */
export function useChatBots(): {
  simulator(): Promise<ComfySimulator>;
  bot(sim: ComfySimulator, options?: ChatServiceOptions, world?: BotWorld): Promise<Bot>;
} {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });
  return {
    async simulator() {
      const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2 });
      stops.push(() => sim.stop());
      return sim;
    },
    async bot(sim, options = {}, world = {}) {
      const adapter = world.adapter ?? new FakeChatAdapter({ platform: 'fake' });
      const relay = createRelayContainer(
        { backends: [{ id: 'sim', url: sim.url }], historyRetryDelayMs: 20, ...world.relay },
        { logger: silentLogger, store: world.store ?? new InMemoryGenerationStore() },
      ).resolve(ComfyRelay);
      await relay.use(imagePlugin);
      await relay.start();
      await relay.ready();
      const service = new ChatService(relay, adapter, {
        secret: 'test',
        settings: world.settings ?? new InMemorySettingsStore(),
        ...options,
      });
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        service.stop();
        service.updater.close();
        await relay.stop();
      };
      stops.push(stop);
      await service.start();
      const finalOf = async (ref: MessageRef) => {
        const isFinal = () => {
          const message = adapter.messages.get(ref.messageId);
          return (
            message !== undefined &&
            !/%|queued|ahead|Queued|Sending/.test(message.text) &&
            message.history.length > 1
          );
        };
        await adapter.until(isFinal);
        return adapter.messages.get(ref.messageId)!;
      };
      return {
        relay,
        adapter,
        service,
        finalOf,
        stop,
        async say(who, command, text = '') {
          let opened: MessageRef | undefined;
          const invocation: Invocation = {
            command,
            text,
            requester: who,
            target: { chatId: who.chatId },
            // As the apps do: the message a job opens goes through the outbox too.
            open: async () => {
              const sent = await service.updater.outbox.send(
                { chatId: who.chatId },
                { text: 'Queued…' },
              );
              if (sent.status !== 'done') throw new Error(`could not open: ${sent.status}`);
              return (opened = sent.value);
            },
          };
          const reply = await service.run(invocation);
          return { ...(reply ? { reply: reply.message.text } : {}), ...(opened ? { opened } : {}) };
        },
        async press(who, message, label) {
          const shown = adapter.messages.get(message.messageId)!;
          const button = shown.buttons.flat().find((candidate) => label.test(candidate.label));
          if (!button)
            throw new Error(
              `no button ${label} under: ${shown.buttons
                .flat()
                .map((b) => b.label)
                .join(', ')}`,
            );
          await service.press(
            { id: `press-${Math.random()}`, token: button.token, userId: who.userId, message },
            who,
            { chatId: who.chatId },
          );
        },
      };
    },
  };
}

/** The settings store of a data directory, that says when something was written to it. */
export class WatchedSettingsStore extends InMemorySettingsStore {
  /** Every write: the namespace (a platform, or chat's own) and what was merged in. */
  readonly writes: { namespace: string; values: Record<string, unknown> }[] = [];
  private readonly watchers = new Set<() => void>();

  override saveSettings(
    namespace: string,
    key: string,
    values: Record<string, unknown>,
  ): Record<string, unknown> {
    const saved = super.saveSettings(namespace, key, values);
    this.writes.push({ namespace, values });
    for (const watcher of [...this.watchers]) watcher();
    return saved;
  }

  /** Resolves once `condition` holds, checked after every write. */
  until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!condition()) return;
        this.watchers.delete(check);
        resolve();
      };
      this.watchers.add(check);
    });
  }

  /** Resolves once chat noted something of this job (`final` set, when asked). */
  noted(jobId: string, what: 'moved' | 'final'): Promise<void> {
    return this.until(() =>
      this.writes.some((write) => {
        const note = write.values[jobId] as { message?: unknown; final?: unknown } | undefined;
        return note !== undefined && (what === 'final' ? note.final : note.message) !== undefined;
      }),
    );
  }
}
