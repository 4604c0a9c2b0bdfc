import { fork, type ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Broadcaster, encodeRelayEvent, relayCoalesceKey } from '@comfyrelay/core';
import { EventStreamServer, type ListenerDropReason } from '@comfyrelay/event-stream';
import { progressEvent, sleepUntil, type BenchEvent } from '../broadcaster/events.js';
import type { Evictions } from '../broadcaster/worker.js';
import { summarize, type LatencySummary } from '../stats.js';
import { wallNow, type ListenersArgs, type ListenersMessage } from './listenerProtocol.js';

export interface EventStreamTask {
  fast: number;
  stalled: number;
  ratePerSecond: number;
  seconds: number;
  sendTimeoutMs: number;
  generations: number;
  /** Size of the JPEG preview each progress event carries (0: none). */
  previewBytes: number;
  /** EventStreamServer's ping interval and pong deadline (default: the package's). */
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
}

export interface EventStreamReport {
  task: EventStreamTask;
  connected: number;
  /** Bytes of one encoded event on the wire. */
  eventBytes: number;
  /** Listener clock minus ours, measured over IPC and taken out of every latency. */
  clockOffsetMs: number;
  published: number;
  /** Share of the published events each fast listener received: the worst listener and the mean. */
  deliveredMin: number;
  deliveredMean: number;
  latency: LatencySummary;
  /** Worst delivery latency of the events published in each second of the run. */
  worstPerSecond: number[];
  latencyAroundEviction: LatencySummary | undefined;
  latencyElsewhere: LatencySummary | undefined;
  evictions: Evictions;
  eventLoopDelayMaxMs: number;
  /** Server process: heap, and heap + ArrayBuffers (socket write buffers live there). */
  heap: { baseline: number; peak: number; end: number };
  buffers: { baseline: number; peak: number; end: number };
}

/**
 * EventStreamServer over real sockets, listeners in a child process; the stalled ones stop
 * reading when the run starts, so eviction times count from the moment they stopped.
 */
export async function runEventStreamTask(task: EventStreamTask): Promise<EventStreamReport> {
  let start = 0;
  const evictions: Evictions = { count: 0, firstMs: undefined, lastMs: undefined, reasons: {} };
  let running = false;
  const broadcaster = new Broadcaster<BenchEvent>({
    sendTimeoutMs: task.sendTimeoutMs,
    coalesceKey: relayCoalesceKey,
  });
  const server = new EventStreamServer<BenchEvent>({
    source: broadcaster,
    snapshot: () => ({ generations: [] }),
    encode: encodeRelayEvent,
    sendTimeoutMs: task.sendTimeoutMs,
    ...(task.pingIntervalMs !== undefined ? { pingIntervalMs: task.pingIntervalMs } : {}),
    ...(task.pongTimeoutMs !== undefined ? { pongTimeoutMs: task.pongTimeoutMs } : {}),
    onDrop: (_listener, reason: ListenerDropReason) => {
      // Any listener leaving while events flow is an eviction: by its pong deadline, the send
      // timeout or queue overflow. Fast listeners never are.
      if (!running) return;
      const at = performance.now() - start;
      evictions.count++;
      evictions.firstMs ??= at;
      evictions.lastMs = at;
      evictions.reasons[reason.code] = (evictions.reasons[reason.code] ?? 0) + 1;
    },
  });
  const { url } = await server.listen(0);
  const args: ListenersArgs = { url, fast: task.fast, stalled: task.stalled };
  const child = fork(
    fileURLToPath(new URL('./listeners.js', import.meta.url)),
    [JSON.stringify(args)],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const inbox: ListenersMessage[] = [];
  const waiters: ((message: ListenersMessage) => void)[] = [];
  let exited: Error | undefined;
  const failWaiters: ((error: Error) => void)[] = [];
  child.on('message', (message) => {
    const waiter = waiters.shift();
    failWaiters.shift();
    if (waiter) waiter(message as ListenersMessage);
    else inbox.push(message as ListenersMessage);
  });
  child.on('exit', (code) => {
    exited = new Error(`listeners exited (${code})`);
    for (const fail of failWaiters.splice(0)) fail(exited);
    waiters.length = 0;
  });
  const nextMessage = () =>
    new Promise<ListenersMessage>((resolve, reject) => {
      const queued = inbox.shift();
      if (queued) return resolve(queued);
      if (exited) return reject(exited);
      waiters.push(resolve);
      failWaiters.push(reject);
    });
  try {
    const ready = await nextMessage();
    if (ready.type !== 'ready') throw new Error('listeners did not get ready');
    const clockOffsetMs = await measureClockOffset(child, nextMessage);
    const preview = task.previewBytes > 0 ? fakeJpeg(task.previewBytes) : undefined;
    const withPreview = (event: BenchEvent): BenchEvent =>
      preview
        ? {
            ...event,
            progress: { ...event.progress, preview: { mime: 'image/jpeg', data: preview } },
          }
        : event;
    const eventBytes = Buffer.byteLength(
      encodeRelayEvent(withPreview(progressEvent(0, task.generations, wallNow()))),
    );

    global.gc?.();
    const usage = () => process.memoryUsage();
    const base = usage();
    const heap = { baseline: base.heapUsed, peak: base.heapUsed, end: 0 };
    const buffers = { baseline: base.arrayBuffers, peak: base.arrayBuffers, end: 0 };
    const sampler = setInterval(() => {
      const now = usage();
      heap.peak = Math.max(heap.peak, now.heapUsed);
      buffers.peak = Math.max(buffers.peak, now.arrayBuffers);
    }, 50);
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();

    const total = Math.round(task.ratePerSecond * task.seconds);
    const publishedAt = new Float64Array(total);
    start = performance.now();
    running = true;
    child.send({ type: 'stall' });
    const interval = 1000 / task.ratePerSecond;
    for (let seq = 0; seq < total; seq++) {
      await sleepUntil(start + seq * interval);
      publishedAt[seq] = performance.now() - start;
      broadcaster.publish(withPreview(progressEvent(seq, task.generations, wallNow())));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    running = false;
    loopDelay.disable();
    clearInterval(sampler);

    const report = nextMessage();
    child.send({ type: 'report' });
    const results = await report;
    if (results.type !== 'results') throw new Error('listeners sent no results');
    global.gc?.();
    global.gc?.();
    const after = usage();
    heap.end = after.heapUsed;
    buffers.end = after.arrayBuffers;

    const latencyBytes = Buffer.from(results.latencies, 'base64');
    const seqBytes = Buffer.from(results.seqs, 'base64');
    const latencies = new Float64Array(
      latencyBytes.buffer.slice(
        latencyBytes.byteOffset,
        latencyBytes.byteOffset + latencyBytes.length,
      ),
    );
    for (let index = 0; index < latencies.length; index++)
      latencies[index] = (latencies[index] ?? 0) - clockOffsetMs;
    const seqs = new Uint32Array(
      seqBytes.buffer.slice(seqBytes.byteOffset, seqBytes.byteOffset + seqBytes.length),
    );
    let around: LatencySummary | undefined;
    let elsewhere: LatencySummary | undefined;
    if (evictions.firstMs !== undefined && evictions.lastMs !== undefined) {
      const from = evictions.firstMs - 250;
      const to = evictions.lastMs + 250;
      const inside: number[] = [];
      const outside: number[] = [];
      for (let index = 0; index < latencies.length; index++) {
        const at = publishedAt[seqs[index] ?? 0] ?? 0;
        (at >= from && at <= to ? inside : outside).push(latencies[index] ?? 0);
      }
      around = summarize(inside);
      elsewhere = summarize(outside);
    }
    const worstPerSecond: number[] = Array.from({ length: Math.ceil(task.seconds) }, () => 0);
    for (let index = 0; index < latencies.length; index++) {
      const second = Math.floor((publishedAt[seqs[index] ?? 0] ?? 0) / 1000);
      if (second < worstPerSecond.length)
        worstPerSecond[second] = Math.max(worstPerSecond[second] ?? 0, latencies[index] ?? 0);
    }
    const shares = results.received.map((count) => count / total);
    return {
      task,
      connected: ready.connected,
      eventBytes,
      clockOffsetMs,
      published: total,
      deliveredMin: shares.length > 0 ? Math.min(...shares) : 0,
      deliveredMean: shares.reduce((sum, share) => sum + share, 0) / Math.max(1, shares.length),
      latency: summarize(latencies),
      worstPerSecond: worstPerSecond.map((value) => Math.round(value * 10) / 10),
      latencyAroundEviction: around,
      latencyElsewhere: elsewhere,
      evictions,
      eventLoopDelayMaxMs: loopDelay.max / 1e6,
      heap,
      buffers,
    };
  } finally {
    if (child.exitCode === null) child.kill();
    broadcaster.close();
    await server.close();
  }
}

/** Listener clock minus ours, from the IPC round trip with the smallest delay. */
async function measureClockOffset(
  child: ChildProcess,
  nextMessage: () => Promise<ListenersMessage>,
): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let round = 0; round < 30; round++) {
    const sent = wallNow();
    const reply = nextMessage();
    child.send({ type: 'clock', sent });
    const message = await reply;
    const back = wallNow();
    if (message.type !== 'clock') continue;
    const rtt = back - sent;
    if (rtt < best.rtt) best = { rtt, offset: message.child - (sent + back) / 2 };
  }
  return best.offset;
}

/** Bytes that look like a JPEG (SOI … EOI) of the given size: what a ComfyUI preview weighs. */
function fakeJpeg(size: number): Buffer {
  const data = Buffer.alloc(size);
  for (let index = 0; index < size; index++) data[index] = (index * 2654435761) >>> 24;
  data[0] = 0xff;
  data[1] = 0xd8;
  data[2] = 0xff;
  data[size - 2] = 0xff;
  data[size - 1] = 0xd9;
  return data;
}
