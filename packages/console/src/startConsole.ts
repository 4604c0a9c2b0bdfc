import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { silentLogger, type ComfyRelay, type RelayEvent } from '@comfyrelay/core';
import { EventStreamServer } from '@comfyrelay/event-stream';
import { AccessPolicy } from './access/AccessPolicy.js';
import type { ConsoleContext } from './api/ConsoleContext.js';
import { BackendDetails } from './backends/BackendDetails.js';
import type { ConsoleOptions } from './ConsoleOptions.js';
import { createConsoleHttpApp } from './http/createConsoleHttpApp.js';
import { loadPageFiles } from './http/PageFiles.js';
import { LiveUpgradeGate } from './live/LiveUpgradeGate.js';
import { ConsoleMetrics } from './metrics/ConsoleMetrics.js';
import { BackendWatch } from './relay/BackendWatch.js';
import { GenerationWatch } from './relay/GenerationWatch.js';

export const EVENT_STREAM_PATH = '/events';

/** A console serving on its port. */
export interface RunningConsole {
  /** `http://host:port/` (a wildcard host is shown as 127.0.0.1). */
  url: string;
  port: number;
  /** For tests and operators: cut every live (event stream) connection now; returns how many. */
  disconnectLiveListeners(): number;
  /**
   * For tests: cut every live connection and refuse new ones (503) until `resumeLiveStream()`,
   * as when a proxy in between goes away for a while.
   */
  suspendLiveStream(): number;
  resumeLiveStream(): void;
  /** Closes the event stream (1001 for every listener) and the HTTP server. */
  stop(): Promise<void>;
}

/**
 * Starts the console on a running relay: the page, the JSON API, the event stream at /events
 * on the same server, /metrics, /healthz and /readyz, all behind the access policy.
 */
export async function startConsole(
  relay: ComfyRelay,
  options: ConsoleOptions,
): Promise<RunningConsole> {
  const logger = options.logger ?? silentLogger;
  const policy = new AccessPolicy(options.accessToken);
  const files = await loadPageFiles();
  const gate = new LiveUpgradeGate(policy, EVENT_STREAM_PATH);
  // Scrapes come after start, once `stream` is set.
  const metrics = new ConsoleMetrics(relay, () => stream.listenerCount, options.platformMetrics);
  const backendDetails = new BackendDetails(relay);
  const context: ConsoleContext = {
    relay,
    logger,
    metrics,
    generations: new GenerationWatch(relay, metrics),
    backends: new BackendWatch(relay, metrics, (backend) => backendDetails.invalidate(backend)),
    backendDetails,
    origin: {
      platform: 'console',
      userId: 'operator',
      displayName: options.operatorName ?? 'Console operator',
    },
  };
  const watching = relay.subscribe(
    {
      send: (event) => {
        context.generations.onEvent(event);
        context.backends.onEvent(event);
      },
    },
    // A synchronous sink never falls behind; uncoalesced, no step is missed.
    { name: 'console', coalesce: false },
  );
  const stream = new EventStreamServer<RelayEvent>({
    source: relay,
    snapshot: () => relay.snapshot(),
    encode: (event) => relay.encodeEvent(event),
    path: EVENT_STREAM_PATH,
    ...(options.pingIntervalMs !== undefined ? { pingIntervalMs: options.pingIntervalMs } : {}),
    onDrop: (listener, reason) => {
      metrics.eventStreamDrops.inc({ reason: reason.code });
      if (reason.code !== 'disconnected' && reason.code !== 'server-closed')
        logger.info('console: a live listener was dropped', { listener, reason: reason.message });
    },
  });
  stream.attach(gate.streamServer);

  const app = createConsoleHttpApp(context, {
    policy,
    accessToken: options.accessToken,
    files,
    eventStreamPath: EVENT_STREAM_PATH,
  });
  const server = createServer(getRequestListener(app.fetch));
  server.on('upgrade', gate.handleUpgrade);
  const host = options.host ?? '127.0.0.1';
  try {
    server.listen(options.port, host);
    await once(server, 'listening');
  } catch (error) {
    watching.unsubscribe();
    metrics.close();
    await stream.close();
    throw error;
  }
  const { port, family, address } = server.address() as AddressInfo;
  const shown = isWildcard(address) ? '127.0.0.1' : family === 'IPv6' ? `[${address}]` : address;
  if (!policy.tokenRequired && isWildcard(address))
    logger.warn(
      'console: listening on every address without an access token; only loopback peers get an answer',
    );

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    watching.unsubscribe();
    metrics.close();
    await stream.close();
    gate.disconnectAll();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };
  return {
    url: `http://${shown}:${port}/`,
    port,
    disconnectLiveListeners: () => gate.disconnectAll(),
    suspendLiveStream: () => gate.suspend(),
    resumeLiveStream: () => gate.resume(),
    stop: () => (stopping ??= stop()),
  };
}

function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}
