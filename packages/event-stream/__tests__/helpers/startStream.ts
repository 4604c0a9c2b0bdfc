import { Broadcaster, type BroadcasterOptions } from '@comfyrelay/core';
import { EventStreamServer, type EventStreamOptions } from '../../src/index.js';

const cleanups: (() => Promise<void> | void)[] = [];

/** A Broadcaster and an EventStreamServer on it, listening on a free loopback port. */
export async function startStream<E>(
  options: Omit<EventStreamOptions<E>, 'source'> & {
    broadcasterOptions?: BroadcasterOptions<E>;
  },
): Promise<{ broadcaster: Broadcaster<E>; server: EventStreamServer<E>; url: string }> {
  const { broadcasterOptions, ...rest } = options;
  const broadcaster = new Broadcaster<E>(broadcasterOptions);
  const server = new EventStreamServer<E>({ source: broadcaster, ...rest });
  const { url } = await server.listen(0, '127.0.0.1');
  cleanups.push(
    () => broadcaster.close(),
    () => server.close(),
  );
  return { broadcaster, server, url };
}

/** Registers a cleanup run (in reverse order) by stopStreams(). */
export function onStop(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

export async function stopStreams(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
