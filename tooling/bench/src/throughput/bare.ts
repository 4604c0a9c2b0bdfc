import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { messagesPerPrompt } from '../workload.js';
import { requestDelta, StreamCounter, withTimeout } from './measure.js';
import type { Variant } from './types.js';
import { startProfile, stopProfile } from '../profile.js';

/** The ceiling: a `ws` socket and `JSON.parse`, nothing else. */
export const bare: Variant = async (server, { prompts, withStatus, timeoutMs }) => {
  const clientId = `bare-${randomUUID()}`;
  const ids = Array.from({ length: prompts }, () => randomUUID());
  const counter = new StreamCounter(prompts * messagesPerPrompt(withStatus));
  const ws = new WebSocket(`${server.wsUrl}?clientId=${clientId}`, { perMessageDeflate: false });
  let types = 0;
  const greeted = new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('error', reject);
  });
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const message = JSON.parse((data as Buffer).toString('utf8')) as { type: string };
    types += message.type.length; // keep the parse observable
    counter.count();
  });
  try {
    await greeted;
    await server.enqueue(clientId, ids);
    const before = await server.stats();
    await startProfile();
    counter.start();
    void server.go();
    const outcome = await withTimeout(counter.done, timeoutMs);
    await stopProfile(`bare-${withStatus ? 'status' : 'nostatus'}`);
    const after = await server.stats();
    return {
      messages: counter.expected,
      received: counter.received,
      ingestMs: counter.ingestMs,
      progressEvents: 0,
      requests: requestDelta(before, after),
      timedOut: outcome === 'timeout',
      ...(outcome === 'timeout' ? { error: `timed out after ${timeoutMs} ms` } : {}),
      ...(types < 0 ? { error: 'unreachable' } : {}),
    };
  } finally {
    ws.terminate();
  }
};
