import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  LivenessMonitor,
  type WatchedConnection,
  type WatchedPrompt,
} from '../src/backend/LivenessMonitor.js';
import type { QueueView } from '../src/backend/QueueTracker.js';
import { silentLogger } from '../src/util/Logger.js';

const SILENCE_MS = 1_000;
const GRACE_MS = 500;

interface Prompt extends WatchedPrompt {
  promptId: string;
  isTerminal: boolean;
  finishing: boolean;
  heard: boolean;
  acceptedAt: number | undefined;
  settling: boolean;
}

/** A monitor over a scripted connection and queue: every decision, with fake timers. */
function setup(options: { hasInFlight?: () => boolean } = {}) {
  const connection = {
    isOpen: true as boolean,
    messagesReceived: 0,
    statusesReceived: 0,
    deafGraceMs: GRACE_MS,
    deafCalls: [] as string[],
    declareDeaf(why: string) {
      this.deafCalls.push(why);
    },
  } satisfies WatchedConnection & { deafCalls: string[] };
  const prompts: Prompt[] = [];
  let refreshes = 0;
  const settled: string[][] = [];
  let finishedOnServer = new Set<string>();
  const monitor = new LivenessMonitor<Prompt>({
    connection,
    inFlight: () => prompts.filter((p) => !p.isTerminal),
    refreshQueue: () => void refreshes++,
    settleVanished: async (vanished, found) => {
      settled.push(vanished.map((p) => p.promptId));
      found(vanished.filter((p) => finishedOnServer.has(p.promptId)).length);
    },
    logger: silentLogger,
    silenceMs: SILENCE_MS,
    ...options,
  });
  const add = (promptId: string, extra: Partial<Prompt> = {}): Prompt => {
    const prompt: Prompt = {
      promptId,
      isTerminal: false,
      finishing: false,
      heard: false,
      settling: false,
      acceptedAt: performance.now(),
      ...extra,
    };
    prompts.push(prompt);
    monitor.update();
    return prompt;
  };
  /** A view asked for now, with what the socket has heard so far. */
  const view = (running: string[], pending: string[] = []) => {
    vi.advanceTimersByTime(1);
    const stamp = {
      requestedAt: performance.now(),
      heard: connection.messagesReceived,
      statuses: connection.statusesReceived,
    };
    monitor.inspect({ running, pending } satisfies QueueView, stamp);
  };
  return {
    connection,
    monitor,
    add,
    view,
    refreshes: () => refreshes,
    settled,
    finishOnServer: (...ids: string[]) => (finishedOnServer = new Set(ids)),
  };
}

describe('LivenessMonitor: a deaf socket is told from a quiet one', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('asks nothing while nothing is in flight', () => {
    const t = setup();
    t.monitor.update();
    vi.advanceTimersByTime(SILENCE_MS * 20);
    expect(t.refreshes()).toBe(0);
  });

  it('asks nothing while the socket keeps hearing, and one /queue per silent period otherwise', () => {
    const t = setup();
    t.add('a');
    for (let i = 0; i < 5; i++) {
      t.connection.messagesReceived += 1;
      vi.advanceTimersByTime(SILENCE_MS);
    }
    expect(t.refreshes()).toBe(0);
    // Silent from here on: every period asks once.
    vi.advanceTimersByTime(SILENCE_MS * 4);
    expect(t.refreshes()).toBe(4);
  });

  it('stops asking once the last prompt is done', () => {
    const t = setup();
    const a = t.add('a');
    vi.advanceTimersByTime(SILENCE_MS * 3);
    const before = t.refreshes();
    a.isTerminal = true;
    t.monitor.update();
    vi.advanceTimersByTime(SILENCE_MS * 10);
    expect(t.refreshes()).toBe(before);
  });

  it('a prompt that finished on the server unheard: settled from history, and the socket is deaf', async () => {
    const t = setup();
    t.add('a', { heard: true });
    t.finishOnServer('a');
    t.view([], []);
    await vi.advanceTimersByTimeAsync(GRACE_MS);
    expect(t.settled).toEqual([['a']]);
    expect(t.connection.deafCalls).toHaveLength(1);
    expect(t.connection.deafCalls[0]).toMatch(/finished 1 of our prompts/);
  });

  it('a vanished prompt while the socket still hears: settled, the socket kept', async () => {
    const t = setup();
    t.add('a', { heard: true });
    t.finishOnServer('a');
    t.view([], []);
    t.connection.messagesReceived += 1;
    await vi.advanceTimersByTimeAsync(GRACE_MS);
    expect(t.settled).toEqual([['a']]);
    expect(t.connection.deafCalls).toEqual([]);
  });

  it('a vanished prompt whose end arrives within the grace is left alone', async () => {
    const t = setup();
    const a = t.add('a', { heard: true });
    t.view([], []);
    a.isTerminal = true;
    t.connection.messagesReceived += 1;
    await vi.advanceTimersByTimeAsync(GRACE_MS);
    expect(t.settled).toEqual([]);
    expect(t.connection.deafCalls).toEqual([]);
  });

  it('a prompt removed on the server (no history) while the socket is quiet is not deafness', async () => {
    const t = setup();
    t.add('a', { heard: true });
    t.view([], []);
    await vi.advanceTimersByTimeAsync(GRACE_MS);
    expect(t.settled).toEqual([['a']]);
    expect(t.connection.deafCalls).toEqual([]);
  });

  it('one of ours runs and the socket never heard it start: deaf', async () => {
    const t = setup();
    t.add('a');
    t.view(['a']);
    await vi.advanceTimersByTimeAsync(GRACE_MS);
    expect(t.connection.deafCalls[0]).toMatch(/started one of our prompts/);
  });

  it('the queue moved between two views and no status came: deaf', async () => {
    const t = setup();
    t.add('a', { heard: true });
    t.view(['other'], ['a']);
    t.connection.messagesReceived += 5; // progress, say: only a status tells of a queue change
    t.view(['other2'], ['a']);
    await vi.advanceTimersByTimeAsync(GRACE_MS);
    expect(t.connection.deafCalls[0]).toMatch(/queue moved/);
  });

  it('the queue moved with a status in between: healthy', async () => {
    const t = setup();
    t.add('a', { heard: true });
    t.view(['other'], ['a']);
    t.connection.messagesReceived += 1;
    t.connection.statusesReceived += 1;
    t.view(['other2'], ['a']);
    await vi.advanceTimersByTimeAsync(GRACE_MS);
    expect(t.connection.deafCalls).toEqual([]);
  });

  it('does not judge a prompt by a view asked for before ComfyUI accepted it', async () => {
    const t = setup();
    vi.advanceTimersByTime(1);
    const stamp = { requestedAt: performance.now(), heard: 0, statuses: 0 };
    vi.advanceTimersByTime(1);
    t.add('late');
    t.monitor.inspect({ running: [], pending: [] }, stamp);
    await vi.advanceTimersByTimeAsync(GRACE_MS);
    expect(t.settled).toEqual([]);
    expect(t.connection.deafCalls).toEqual([]);
  });

  it('judges nothing while the socket is down (the reconnect reconciles)', async () => {
    const t = setup();
    t.add('a', { heard: true });
    t.view([], []);
    t.connection.isOpen = false;
    t.monitor.update();
    await vi.advanceTimersByTimeAsync(GRACE_MS * 2);
    expect(t.settled).toEqual([]);
    expect(t.connection.deafCalls).toEqual([]);
  });

  it("asks its host's own count (when it has one) whether anything is in flight", () => {
    let inFlight = true;
    const t = setup({ hasInFlight: () => inFlight });
    t.add('a');
    vi.advanceTimersByTime(SILENCE_MS * 3);
    const before = t.refreshes();
    expect(before).toBeGreaterThan(0);
    // The host says nothing is in flight (its prompts are being settled, say): no more asking,
    // whatever the list of prompts holds.
    inFlight = false;
    t.monitor.update();
    vi.advanceTimersByTime(SILENCE_MS * 10);
    expect(t.refreshes()).toBe(before);
    inFlight = true;
    t.monitor.update();
    vi.advanceTimersByTime(SILENCE_MS * 2);
    expect(t.refreshes()).toBeGreaterThan(before);
  });
});
