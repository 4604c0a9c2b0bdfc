import { DEFAULT_PING_INTERVAL_MS, DEFAULT_PONG_TIMEOUT_MS } from '@comfyrelay/event-stream';
import type { BroadcasterReport, BroadcasterTask } from './broadcaster/worker.js';
import { runWorker, type WorkerOutcome } from './child.js';
import type { EventStreamReport, EventStreamTask } from './eventStream/worker.js';
import type { Section, Table } from './results.js';
import { fmtInt, fmtMB, fmtMs, fmtPct, type LatencySummary } from './stats.js';

/** Before (the frozen baseline copy) and after (core's Broadcaster), each beside the other. */
const IN_PROCESS: BroadcasterTask[] = [0, 100].flatMap((stalled) =>
  (['baseline', 'current'] as const).map((build) => ({
    build,
    fast: 1_000,
    stalled,
    ratePerSecond: 50,
    seconds: 8,
    sendTimeoutMs: 2_000,
    generations: 10,
  })),
);

const buildLabel: Record<BroadcasterTask['build'], string> = {
  baseline: 'before (d6e5555, frozen copy)',
  current: 'after (@comfyrelay/core)',
};

/** ANCHORS' variant: 200 fast listeners, 100 that stop reading when the run starts, 50 events/s. */
const SOCKETS: EventStreamTask[] = [0, 100].map((stalled) => ({
  fast: 200,
  stalled,
  ratePerSecond: 50,
  seconds: 10,
  sendTimeoutMs: 2_000,
  generations: 10,
  previewBytes: 0,
}));

function latencyCells(summary: LatencySummary | undefined): string[] {
  return [fmtMs(summary?.p50, 2), fmtMs(summary?.p99, 2), fmtMs(summary?.max, 2)];
}

function evictionCell(evictions: BroadcasterReport['evictions'], stalled: number): string {
  if (stalled === 0)
    return evictions.count === 0 ? 'none (none stalled)' : `${evictions.count} (unexpected)`;
  if (evictions.count === 0) return `0 of ${stalled} within the run`;
  const reasons = Object.entries(evictions.reasons)
    .map(([code, count]) => `${code} ×${count}`)
    .join(', ');
  return `${evictions.count}/${stalled} at ${((evictions.firstMs ?? 0) / 1000).toFixed(2)}–${((evictions.lastMs ?? 0) / 1000).toFixed(2)} s (${reasons})`;
}

function aroundCell(report: {
  latencyAroundEviction: LatencySummary | undefined;
  latencyElsewhere: LatencySummary | undefined;
}): string {
  const around = report.latencyAroundEviction;
  if (!around) return 'n/a';
  return `p99 ${fmtMs(around.p99, 2)}, max ${fmtMs(around.max, 2)} (elsewhere p99 ${fmtMs(report.latencyElsewhere?.p99, 2)})`;
}

function worstSecond(perSecond: number[]): string {
  let worst = 0;
  for (let second = 1; second < perSecond.length; second++)
    if ((perSecond[second] ?? 0) > (perSecond[worst] ?? 0)) worst = second;
  return perSecond.length === 0 ? '—' : `${fmtMs(perSecond[worst], 1)} in second ${worst + 1}`;
}

function failedRow(outcome: WorkerOutcome<unknown>, columns: number, label: string): string[] {
  const error = outcome.ok ? '' : outcome.error;
  return [label, ...Array.from({ length: columns - 2 }, () => '—'), `failed: ${error}`];
}

export async function broadcasterIsolation(log: (line: string) => void): Promise<Section> {
  const inProcess: WorkerOutcome<BroadcasterReport>[] = [];
  for (const task of IN_PROCESS) {
    const outcome = await runWorker<BroadcasterReport>(
      'broadcaster',
      task,
      task.seconds * 1000 + 30_000,
    );
    log(
      `  broadcaster ${task.build}, ${task.fast} fast + ${task.stalled} stalled: ${outcome.ok ? 'done' : outcome.error} in ${(outcome.ms / 1000).toFixed(1)} s`,
    );
    inProcess.push(outcome);
  }
  const sockets: WorkerOutcome<EventStreamReport>[] = [];
  for (const task of SOCKETS) {
    const outcome = await runWorker<EventStreamReport>(
      'eventStream',
      task,
      task.seconds * 1000 + 30_000,
    );
    log(
      `  event stream ${task.fast} fast + ${task.stalled} paused: ${outcome.ok ? 'done' : outcome.error} in ${(outcome.ms / 1000).toFixed(1)} s`,
    );
    sockets.push(outcome);
  }

  const headers = [
    'stalled',
    'delivered to the fast ones',
    'latency p50',
    'p99',
    'max',
    'around the evictions (±250 ms)',
    'stalled ones evicted',
    'heap: baseline → peak → after gc',
  ];
  const inProcessTable: Table = {
    caption: `**Broadcaster in-process, before and after**: the broadcaster as it was before core's restructure (a frozen copy, \`src/baseline/broadcast/\`) and core's current one, each in its own process, in the same run. 1,000 fast async sinks (half resolve on the next microtask, half on setImmediate), 50 progress events/s for ${IN_PROCESS[0]?.seconds ?? '?'} s, sendTimeoutMs 2000, coalescing by generation (10 generations); stalled sinks return a promise that never settles. Latency = publish() → sink.send() call.`,
    headers: ['broadcaster', ...headers, 'publish() cost p50 / max', 'event-loop delay max'],
    rows: inProcess.map((outcome, index) => {
      const task = IN_PROCESS[index];
      const label = task ? buildLabel[task.build] : '?';
      if (!outcome.ok || !task)
        return [label, ...failedRow(outcome, headers.length + 2, String(task?.stalled ?? '?'))];
      const report = outcome.result;
      return [
        label,
        String(task.stalled),
        `${fmtPct(report.deliveredToFast / report.expectedToFast)} (${fmtInt(report.deliveredToFast)}/${fmtInt(report.expectedToFast)})`,
        ...latencyCells(report.latency),
        aroundCell(report),
        evictionCell(report.evictions, task.stalled),
        `${fmtMB(report.heap.baseline)} → ${fmtMB(report.heap.peak)} → ${fmtMB(report.heap.end)}`,
        `${fmtInt(report.publishCostUs.p50)} µs / ${fmtInt(report.publishCostUs.max)} µs`,
        fmtMs(report.eventLoopDelayMs.max, 1),
      ];
    }),
  };
  const socketTable: Table = {
    caption: `**EventStreamServer over real sockets** (ANCHORS' variant, @comfyrelay/event-stream): 200 \`ws\` listeners that read everything and N that stop reading (\`ws.pause()\`) when the run starts, in a child process, with the machine's default kernel socket buffers; 50 relay progress events/s (JSON of about 235 bytes); the package's defaults otherwise (sendTimeoutMs 2000, a ping every ${DEFAULT_PING_INTERVAL_MS} ms, pong deadline ${DEFAULT_PONG_TIMEOUT_MS} ms). Eviction times count from the moment they stopped reading. Latency = publish → listener receipt, across processes (clock offset measured over IPC and removed).`,
    headers: [
      ...headers.slice(0, 7),
      'server heap: baseline → peak → after gc',
      'server ArrayBuffers peak',
      'event-loop delay max',
      'worst second (max latency)',
      'run',
    ],
    rows: sockets.map((outcome, index) => {
      const task = SOCKETS[index];
      if (!outcome.ok || !task)
        return failedRow(outcome, headers.length + 3, String(task?.stalled ?? '?'));
      const report = outcome.result;
      return [
        String(task.stalled),
        `${fmtPct(report.deliveredMean)} (worst listener ${fmtPct(report.deliveredMin)})`,
        ...latencyCells(report.latency),
        aroundCell(report),
        evictionCell(report.evictions, task.stalled),
        `${fmtMB(report.heap.baseline)} → ${fmtMB(report.heap.peak)} → ${fmtMB(report.heap.end)}`,
        fmtMB(report.buffers.peak),
        fmtMs(report.eventLoopDelayMaxMs, 1),
        worstSecond(report.worstPerSecond),
        `${task.seconds} s`,
      ];
    }),
  };
  return {
    title: '2. Broadcaster isolation: fast subscribers next to stalled ones',
    method: [
      'Each configuration runs in a fresh `node --expose-gc` process; heap "after gc" is measured with the subscribers still attached, after two forced collections.',
      '"Around the evictions" are deliveries of events published from 250 ms before the first eviction to 250 ms after the last: the window where ANCHORS\' reference design showed a 0.5 s spike.',
    ],
    tables: [inProcessTable, socketTable],
    interpretation: interpret(inProcess, sockets),
  };
}

function interpret(
  inProcess: WorkerOutcome<BroadcasterReport>[],
  sockets: WorkerOutcome<EventStreamReport>[],
): string[] {
  const lines: string[] = [];
  const find = (build: BroadcasterTask['build'], stalled: number) => {
    const index = IN_PROCESS.findIndex((task) => task.build === build && task.stalled === stalled);
    const outcome = inProcess[index];
    return outcome?.ok ? outcome.result : undefined;
  };
  for (const build of ['baseline', 'current'] as const) {
    const calm = find(build, 0);
    const stalled = find(build, 100);
    if (!calm || !stalled) {
      lines.push(`${buildLabel[build]}: a run failed.`);
      continue;
    }
    const spike =
      (stalled.latencyAroundEviction?.max ?? 0) > Math.max(50, 5 * (calm.latency.p99 ?? 0));
    lines.push(
      `${buildLabel[build][0]?.toUpperCase()}${buildLabel[build].slice(1)}: the 1,000 fast sinks got ${fmtPct(stalled.deliveredToFast / stalled.expectedToFast)} of the events with 100 stalled ones beside them ` +
        `(p99 ${fmtMs(stalled.latency.p99, 2)} vs ${fmtMs(calm.latency.p99, 2)} with none stalled); ` +
        `the stalled ones were evicted at ${((stalled.evictions.firstMs ?? NaN) / 1000).toFixed(2)}–${((stalled.evictions.lastMs ?? NaN) / 1000).toFixed(2)} s, ` +
        `deliveries around the eviction peaking at ${fmtMs(stalled.latencyAroundEviction?.max, 2)} (${spike ? 'a SPIKE' : 'no spike'}); ` +
        `heap after gc ${fmtMB(stalled.heap.end)} vs ${fmtMB(stalled.heap.baseline)} before (${stalled.heap.end - stalled.heap.baseline < 2 * 1_048_576 ? 'flat' : 'it GREW'}).`,
    );
  }
  const socketCalm = sockets[0]?.ok ? sockets[0].result : undefined;
  const socketStalled = sockets[1]?.ok ? sockets[1].result : undefined;
  if (socketStalled) {
    const evicted = socketStalled.evictions;
    const stalledCount = socketStalled.task.stalled;
    const reasons = Object.entries(evicted.reasons)
      .map(([code, count]) => `${code} ×${count}`)
      .join(', ');
    const allInTime = evicted.count === stalledCount && (evicted.lastMs ?? Infinity) <= 3_000;
    const calmP99 = socketCalm?.latency.p99;
    const stalledP99 = socketStalled.latency.p99 ?? 0;
    const worse = calmP99 !== undefined && stalledP99 > 2 * calmP99;
    lines.push(
      `Over real sockets the 200 reading listeners got ${fmtPct(socketStalled.deliveredMean)} of the events next to ${stalledCount} paused ones ` +
        `(p50 ${fmtMs(socketStalled.latency.p50, 1)}, p99 ${fmtMs(stalledP99, 1)}` +
        `${calmP99 !== undefined ? ` against ${fmtMs(socketCalm?.latency.p50, 1)} / ${fmtMs(calmP99, 1)} with none paused` : ''}` +
        `${worse ? '; the p99 rose, mostly outside the eviction window — this box is shared by other processes, rerun to tell noise from effect' : ''}); ` +
        `latency around the evictions: ${aroundCell(socketStalled)}. ` +
        (evicted.count === 0
          ? 'The paused listeners were not evicted within the run. '
          : `${evicted.count} of the ${stalledCount} paused listeners were evicted ${((evicted.firstMs ?? NaN) / 1000).toFixed(2)}–${((evicted.lastMs ?? NaN) / 1000).toFixed(2)} s after they stopped reading (${reasons}): ${allInTime ? 'all within the 3 s bar' : 'NOT all within the 3 s bar'}. `) +
        `Why by the pings and not the 2 s send timeout: a send settles once the bytes reach the kernel, and a paused loopback TCP peer absorbs about 4 MB (tcp_wmem max here) before writes stop completing — at 50 events/s of ~235 bytes that is minutes — so no send hangs and nothing piles up in the process (server heap and ArrayBuffers stay flat). ` +
        `A ping the paused peer never reads is never answered: every listener is pinged every ${DEFAULT_PING_INTERVAL_MS} ms by one timer, and one whose oldest ping is ${DEFAULT_PONG_TIMEOUT_MS} ms old is cut, at most ${DEFAULT_PING_INTERVAL_MS + DEFAULT_PONG_TIMEOUT_MS} ms after it stopped reading.`,
    );
  }
  return lines;
}
