import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Section, Table } from '../results.js';
import { fmtInt, fmtMs } from '../stats.js';
import type { BudgetsReport, HeapReport, UpdaterPlatform, UpdaterTask } from './worker.js';

type Outcome<T> = { ok: true; result: T } | { ok: false; error: string };

/**
 * 1,000 jobs, 50 progress events a second each: Discord's jobs in 50 channels, Telegram's in
 * 250 chats of which 50 are groups (four jobs a chat), as people use the bots.
 */
const JOBS = 1_000;
const EVENTS_PER_SECOND = 50;
const SECONDS = 20;
const SHAPES: Record<UpdaterPlatform, Pick<UpdaterTask, 'chats' | 'groups'>> = {
  discord: { chats: 50, groups: 0 },
  telegram: { chats: 250, groups: 50 },
};

/** One measurement in a fresh `node --expose-gc` process, killed if it overruns. */
function measure<T>(task: UpdaterTask, timeoutMs: number): Promise<Outcome<T>> {
  const child = fork(
    fileURLToPath(new URL('./worker.js', import.meta.url)),
    [JSON.stringify(task)],
    {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Outcome<T>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ ok: false, error: `no result after ${timeoutMs} ms (killed)` }),
      timeoutMs,
    );
    child.on('message', (message) => finish(message as Outcome<T>));
    child.on('exit', (code, signal) =>
      finish({
        ok: false,
        error: `exited (${code ?? signal}) without a result: ${stderr.trim().split('\n').slice(-6).join(' | ')}`,
      }),
    );
  });
}

function taskFor(platform: UpdaterPlatform, kind: UpdaterTask['kind']): UpdaterTask {
  return {
    kind,
    platform,
    jobs: JOBS,
    eventsPerSecond: EVENTS_PER_SECOND,
    seconds: kind === 'heap' ? 3 : SECONDS,
    ...SHAPES[platform],
  };
}

const rate = (count: number, perMs: number) =>
  perMs >= 60_000 ? `${count} / ${perMs / 60_000} min` : `${count} / ${perMs / 1000} s`;

function budgetRows(report: BudgetsReport): string[][] {
  return report.budgets.map((use) => [
    report.task.platform,
    use.budget,
    rate(use.rate.count, use.rate.perMs),
    fmtInt(use.keys),
    `${use.maxInWindow}${use.maxInWindow === use.rate.count ? ' (at budget)' : use.maxInWindow > use.rate.count ? ' (OVER)' : ''}`,
    `${fmtInt(use.keysAtBudget)} of ${fmtInt(use.keys)}`,
  ]);
}

function costRow(report: BudgetsReport, heap: Outcome<HeapReport>): string[] {
  const updaterUs = report.cpuUsPerEvent - report.driverCpuUsPerEvent;
  const achieved = report.progressEvents / (report.driveMs / 1000) / report.task.jobs;
  return [
    report.task.platform,
    `${fmtInt(report.progressEvents)} (${achieved.toFixed(1)}/s a job)`,
    fmtInt(report.progressCalls),
    `${updaterUs.toFixed(2)} µs (${report.cpuUsPerEvent.toFixed(2)} with the driver)`,
    heap.ok ? `${fmtInt(heap.result.bytesPerJob)} B` : `failed: ${heap.error}`,
    heap.ok ? `${fmtInt(heap.result.bytesLeftAfter)} B` : '—',
    `${fmtInt(report.finalsDelivered)} of ${fmtInt(report.task.jobs)} in ${fmtMs(report.finalsMs, 0)}`,
    `${report.overBudget} / ${report.rateLimited} / ${report.callsAfterFinal}`,
  ];
}

export async function updater(log: (line: string) => void): Promise<Section> {
  const title = '4. Chat updater: 1,000 jobs at 50 progress events a second each';
  const method = [
    `In a fresh \`node --expose-gc\` process per platform, \`@comfyrelay/chat\`'s \`MessageUpdater\` follows ${fmtInt(JOBS)} running jobs (a Cancel button under each, as the apps show them) while a relay-like source hands each one a progress event every ${1000 / EVENTS_PER_SECOND} ms for ${SECONDS} s, synchronously, as the relay's broadcaster does; then every job succeeds and its final is shown.`,
    "The platform is chat's `FakeChatAdapter` with the budgets and text rules the apps declare (`DISCORD_BUDGETS`, `TELEGRAM_BUDGETS`): it answers at once, counts every call against each budget, and answers a call over any of them with a 429 recorded as a violation.",
    `Discord: the jobs in ${SHAPES.discord.chats} channels (budgets per message and global); Telegram: in ${SHAPES.telegram.chats} chats, ${SHAPES.telegram.groups} of them groups (per chat, per group, global). "Busiest window" is the most calls any one message, chat, group, or the bot in all, made within any window of the budget's length (half-open, as the fake counts).`,
    'CPU is the process\'s user + system time while progress streams in, per progress event, less what the same events cost with nobody subscribed (measured first, 3 s). Heap per job: a platform that keeps nothing (so a fake\'s message history does not count), 1,000 jobs followed for 3 s, heapUsed after gc against before following; "left after" is after every job ended and was shown.',
  ];
  const budgetTable: Table = {
    caption: '**Calls issued against each budget**',
    headers: ['platform', 'budget', 'allows', 'keys', 'busiest window', 'keys that reached it'],
    rows: [],
  };
  const costTable: Table = {
    caption: '**Cost, and every final shown**',
    headers: [
      'platform',
      'progress events',
      'calls during progress',
      'CPU per progress event',
      'heap per job',
      'heap left after',
      'finals shown',
      'over budget / 429s / calls after a final',
    ],
    rows: [],
  };
  const interpretation: string[] = [];
  const reports: BudgetsReport[] = [];
  for (const platform of ['discord', 'telegram'] as const) {
    const budgets = await measure<BudgetsReport>(taskFor(platform, 'budgets'), 180_000);
    log(`  updater ${platform}: ${budgets.ok ? 'done' : budgets.error}`);
    const heap = await measure<HeapReport>(taskFor(platform, 'heap'), 60_000);
    log(`  updater ${platform} heap: ${heap.ok ? 'done' : heap.error}`);
    if (!budgets.ok) {
      interpretation.push(`The ${platform} run failed: ${budgets.error}`);
      continue;
    }
    const report = budgets.result;
    reports.push(report);
    budgetTable.rows.push(...budgetRows(report));
    costTable.rows.push(costRow(report, heap));
    const global = report.budgets.find((use) => use.budget === 'global');
    const exact = report.budgets.every((use) => use.maxInWindow <= use.rate.count);
    interpretation.push(
      `${platform}: ${exact && report.overBudget === 0 ? 'no budget exceeded' : 'A BUDGET WAS EXCEEDED'}; the global one ${global && global.maxInWindow === global.rate.count ? 'used exactly' : `peaked at ${global?.maxInWindow ?? '—'} of ${global?.rate.count ?? '—'}`}, ${report.finalsDelivered === report.task.jobs ? 'every final shown' : 'SOME FINALS NOT SHOWN'} (${fmtMs(report.finalsMs, 0)} for ${fmtInt(report.task.jobs)} finals is the global budget's pace), ${report.callsAfterFinal === 0 ? 'nothing edited after its final' : `${report.callsAfterFinal} calls after a final`}.`,
    );
  }
  const pace = reports
    .map((report) => {
      const perSecond = report.progressCalls / (report.driveMs / 1000);
      const global = report.budgets.find((use) => use.budget === 'global')?.rate;
      return `${report.task.platform} ${perSecond.toFixed(1)} progress calls a second of ${global ? (global.count * 1000) / global.perMs : '—'} (one each ${(report.task.jobs / perSecond).toFixed(0)} s a job)`;
    })
    .join(', ');
  interpretation.push(
    `With ${fmtInt(JOBS)} jobs the global budget is what binds: the latest state wins and the rest is coalesced away (${pace}); progress never takes the last slot of a window, so a final goes out at once — the slot it leaves is the difference between the two. Per-message and per-chat budgets bind with fewer jobs.`,
  );
  return { title, method, tables: [budgetTable, costTable], interpretation };
}
