import { ComfyHttpClient, readQueue, type SystemStats } from '@comfyrelay/core/protocol';
import { command } from '../command.js';
import { comfyUrlsFrom } from '../comfyUrls.js';
import { describeUnreachable } from '../describeUnreachable.js';
import { writeTo } from '../io.js';
import { parseCommandArgs } from '../parseCommandArgs.js';
import { COMFYUI_DEFAULT_PORT } from '../simulator.js';
import { STATUS_USAGE } from '../usage.js';

const STATUS_TIMEOUT_MS = 5_000;

export interface DeviceReport {
  name: string;
  type: string;
  vramTotal: number | null;
  vramFree: number | null;
}

export type BackendStatus =
  | {
      url: string;
      reachable: true;
      version: string | null;
      python: string | null;
      os: string | null;
      devices: DeviceReport[];
      /** Prompt ids: the running one(s), then the pending ones in the order they will run. */
      queue: { running: string[]; pending: string[] };
    }
  | { url: string; reachable: false; error: string };

export const statusCommand = command('status', STATUS_USAGE, async (argv, io) => {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      comfy: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const given = comfyUrlsFrom(
    values.comfy,
    io.env,
    `to ask http://127.0.0.1:${COMFYUI_DEFAULT_PORT}`,
  );
  const urls = given.length > 0 ? given : [`http://127.0.0.1:${COMFYUI_DEFAULT_PORT}`];
  const reports = await Promise.all(urls.map((url) => probeBackend(url)));
  for (const report of reports) {
    if (values.json) await writeTo(io.stdout, `${JSON.stringify(report)}\n`);
    else if (report.reachable) await writeTo(io.stdout, formatStatus(report));
    if (!report.reachable) {
      io.stderr.write(
        `comfyrelay status: cannot reach ComfyUI at ${report.url}: ${report.error}. Is it running? Pass --comfy URL or set COMFYUI_URL.\n`,
      );
    }
  }
  return reports.every((report) => report.reachable) ? 0 : 1;
});

/** Health from `/system_stats` and the queue from `/queue`, pending sorted by ComfyUI's run order. */
export async function probeBackend(
  url: string,
  timeoutMs = STATUS_TIMEOUT_MS,
): Promise<BackendStatus> {
  const http = new ComfyHttpClient({ baseUrl: url, timeoutMs });
  try {
    const [stats, queue] = await Promise.all([http.getSystemStats(), http.getQueue()]);
    return {
      url,
      reachable: true,
      version: stats.system?.comfyui_version ?? null,
      python: stats.system?.python_version ?? null,
      os: stats.system?.os ?? null,
      devices: devicesOf(stats),
      queue: readQueue(queue),
    };
  } catch (error) {
    return { url, reachable: false, error: describeUnreachable(error) };
  }
}

function devicesOf(stats: SystemStats): DeviceReport[] {
  return (stats.devices ?? []).map((device) => ({
    name: device.name,
    type: device.type,
    vramTotal: device.vram_total ?? null,
    vramFree: device.vram_free ?? null,
  }));
}

export function formatStatus(report: Extract<BackendStatus, { reachable: true }>): string {
  const lines = [`ComfyUI at ${report.url}: reachable`];
  const about = [report.python && `python ${report.python}`, report.os].filter(Boolean).join(', ');
  lines.push(`  version  ${report.version ?? 'unknown'}${about ? ` (${about})` : ''}`);
  if (report.devices.length === 0) lines.push('  devices  none reported');
  report.devices.forEach((device, i) =>
    lines.push(`  ${i === 0 ? 'devices' : '       '}  ${formatDevice(device)}`),
  );
  const { running, pending } = report.queue;
  lines.push(`  queue    ${running.length} running, ${pending.length} pending`);
  for (const id of running) lines.push(`    running    ${id}`);
  pending.forEach((id, i) => lines.push(`    pending ${String(i + 1).padStart(2)} ${id}`));
  return `${lines.join('\n')}\n`;
}

function formatDevice(device: DeviceReport): string {
  const vram =
    device.vramTotal && device.vramFree !== null
      ? `, VRAM ${gib(device.vramFree)} of ${gib(device.vramTotal)} GiB free`
      : '';
  return `${device.name} (${device.type})${vram}`;
}

function gib(bytes: number): string {
  return (bytes / 1024 ** 3).toFixed(1);
}
