import { ComfySimulator, type SimulatorOptions } from '@comfyrelay/comfyui-sim';
import {
  ComfyRelay,
  silentLogger,
  type Generation,
  type GenerationRecord,
  type Plugin,
  type RelayEvent,
} from '@comfyrelay/core';
import { expect } from 'vitest';
import { imagePlugin } from '../../src/index.js';
import { pngSize } from './png.js';

export interface HttpCall {
  method: string;
  path: string;
  status: number;
}

export interface ImageFixture {
  sim: ComfySimulator;
  relay: ComfyRelay;
  /** Every relay event, in order (no coalescing). */
  events: RelayEvent[];
  /** Every HTTP request the simulator answered. */
  http: HttpCall[];
  eventsOf(id: string): RelayEvent[];
  /** Resolves with the first recorded event (past or future) that matches. */
  event(predicate: (event: RelayEvent) => boolean): Promise<RelayEvent>;
  close(): Promise<void>;
}

/** A simulator on a free port and a started relay with the image plugin, recording every event. */
export async function startImageFixture(
  options: { plugin?: Plugin; others?: Plugin[]; sim?: SimulatorOptions } = {},
): Promise<ImageFixture> {
  const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2, ...options.sim });
  const http: HttpCall[] = [];
  sim.on('http', (call) => void http.push(call));
  const relay = new ComfyRelay(
    {
      backends: [{ id: 'sim', url: sim.url }],
      historyRetryDelayMs: 20,
      connection: { backoff: { initialMs: 20, maxMs: 200 } },
    },
    silentLogger,
  );
  await relay.plugins.use(options.plugin ?? imagePlugin);
  for (const other of options.others ?? []) await relay.plugins.use(other);
  const events: RelayEvent[] = [];
  const waiters: {
    predicate: (event: RelayEvent) => boolean;
    resolve: (event: RelayEvent) => void;
  }[] = [];
  relay.events.subscribe(
    {
      send(event) {
        events.push(event);
        for (const waiter of [...waiters]) {
          if (!waiter.predicate(event)) continue;
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      },
    },
    { name: 'plugin-image-test', coalesce: false, queueLimit: 100_000 },
  );
  await relay.start();
  await relay.ready();
  return {
    sim,
    relay,
    events,
    http,
    eventsOf: (id) => events.filter((event) => 'id' in event && event.id === id),
    event(predicate) {
      const seen = events.find(predicate);
      return seen
        ? Promise.resolve(seen)
        : new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    async close() {
      await relay.stop();
      await sim.stop();
    },
  };
}

export interface FinishedImage {
  generation: Generation;
  record: GenerationRecord;
  png: Buffer;
  width: number;
  height: number;
}

/** Waits for a generation to succeed and reads its first output, which must be a PNG. */
export async function finishedImage(
  fixture: ImageFixture,
  generation: Generation,
): Promise<FinishedImage> {
  const record = await generation.done;
  expect(record.error).toBeUndefined();
  expect(record.status).toBe('succeeded');
  const output = record.outputs?.[0];
  expect(output?.kind).toBe('image');
  expect(output?.mime).toBe('image/png');
  const png = await fixture.relay.readOutput(output!);
  const size = pngSize(png);
  return { generation, record, png, ...size };
}

export function posts(fixture: ImageFixture): HttpCall[] {
  return fixture.http.filter((call) => call.method === 'POST');
}
