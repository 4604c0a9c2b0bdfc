import WebSocket from 'ws';
import {
  wallNow,
  type ListenersArgs,
  type ListenersCommand,
  type ListenersMessage,
} from './listenerProtocol.js';

/**
 * Child process: `fast` listeners that read every event and record its latency, and `stalled`
 * listeners that read like the others until told to stop (socket paused) when the run starts.
 */
const args = JSON.parse(process.argv[2] ?? '{}') as ListenersArgs;
const received: number[] = [];
let latencies = new Float64Array(1 << 16);
let seqs = new Uint32Array(1 << 16);
let samples = 0;
let stalledClosed = 0;
let fastClosed = 0;
const toStall: WebSocket[] = [];

function record(latency: number, seq: number): void {
  if (samples === latencies.length) {
    const grownLatencies = new Float64Array(latencies.length * 2);
    grownLatencies.set(latencies);
    latencies = grownLatencies;
    const grownSeqs = new Uint32Array(seqs.length * 2);
    grownSeqs.set(seqs);
    seqs = grownSeqs;
  }
  latencies[samples] = latency;
  seqs[samples] = seq;
  samples++;
}

function open(stalled: boolean, index: number): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(args.url, { perMessageDeflate: false });
    let first = true;
    ws.on('message', (data) => {
      if (first) {
        first = false; // the snapshot
        if (stalled) toStall.push(ws);
        resolve(true);
        return;
      }
      if (stalled) return;
      const now = wallNow();
      const event = JSON.parse((data as Buffer).toString('utf8')) as {
        seq: number;
        publishedAt: number;
      };
      received[index] = (received[index] ?? 0) + 1;
      record(now - event.publishedAt, event.seq);
    });
    ws.on('error', () => resolve(false));
    ws.on('close', () => {
      if (stalled) stalledClosed++;
      else fastClosed++;
    });
  });
}

async function main(): Promise<void> {
  const opened: Promise<boolean>[] = [];
  for (let index = 0; index < args.fast; index++) {
    received[index] = 0;
    opened.push(open(false, index));
  }
  for (let index = 0; index < args.stalled; index++) opened.push(open(true, -1));
  const results = await Promise.all(opened);
  const connected = results.filter(Boolean).length;
  process.send?.({
    type: 'ready',
    connected,
    failed: results.length - connected,
  } satisfies ListenersMessage);
}

process.on('message', (raw) => {
  const command = raw as ListenersCommand;
  if (command.type === 'stall') {
    for (const ws of toStall) ws.pause();
    return;
  }
  if (command.type === 'clock') {
    process.send?.({
      type: 'clock',
      sent: command.sent,
      child: wallNow(),
    } satisfies ListenersMessage);
    return;
  }
  const message: ListenersMessage = {
    type: 'results',
    received: received.slice(0, args.fast),
    latencies: Buffer.from(latencies.buffer, 0, samples * 8).toString('base64'),
    seqs: Buffer.from(seqs.buffer, 0, samples * 4).toString('base64'),
    stalledClosed,
    fastClosed,
  };
  process.send?.(message, () => process.exit(0));
});
process.on('disconnect', () => process.exit(0));

void main();
