import { describeLoadProblems, describeOffer, pluginLabel } from '../plugins/loadPlugins.js';
import { version } from '../version.js';
import type { PlatformService } from './startPlatformService.js';

/**
 * The banner `start` (and `discord`, `telegram`) prints on stdout: where everything is, which
 * frontends run and how people reach them, what it offers, how to stop.
 */
export function describeService(service: PlatformService, source: string): string {
  const { config } = service;
  const access =
    config.console.accessToken === undefined
      ? 'this machine only; set console.accessToken to let others in'
      : 'sign in with the access token';
  const lines = [`comfyrelay ${version} is running`];
  if (service.consoleUrl !== undefined)
    lines.push(
      `  console       open ${service.consoleUrl} in a browser (${access})`,
      `  event stream  ${service.eventStreamUrl ?? ''} (for dashboards)`,
    );
  for (const chat of service.chat) lines.push(`  ${chat.name.padEnd(14)}${chat.text}`);
  for (const server of service.servers) {
    const notes = [
      ...(server.id !== undefined ? [server.id] : []),
      ...(server.auth === 'basic' ? ['basic auth'] : []),
      ...(server.auth === 'bearer' ? ['bearer token'] : []),
      ...(server.simulator
        ? ['the built-in simulator, as no ComfyUI server is configured: its pictures are not real']
        : []),
    ];
    lines.push(`  ComfyUI       ${server.url}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`);
  }
  lines.push(
    `  data          ${config.dataDir} (generations survive restarts; finished ones are kept ${config.retentionDays} day${config.retentionDays === 1 ? '' : 's'})`,
  );
  lines.push(`  offers        ${describeOffer(service.plugins)}`);
  for (const plugin of service.plugins.plugins) {
    if (plugin.workflows.length > 0)
      lines.push(
        `    ${pluginLabel(plugin.name, service.plugins)}: ${plugin.workflows.join(', ')}`,
      );
  }
  for (const problem of describeLoadProblems(service.plugins)) lines.push(`  note: ${problem}`);
  lines.push(
    `  frontends     ${service.frontends.join(', ')}${service.chat.length === 0 ? ' (no chat bots configured: set DISCORD_TOKEN or TELEGRAM_BOT_TOKEN, see the README)' : ''}`,
  );
  for (const note of service.notes) lines.push(`  note: ${note}`);
  lines.push(`  config        ${source}`);
  lines.push('Press Ctrl-C to stop.');
  return `${lines.join('\n')}\n`;
}

/** The first line of a graceful stop: what is let finish, for how long. */
export function describeStopping(service: PlatformService): string {
  const { running, queued } = service.inFlight();
  const seconds = service.config.shutdownSeconds;
  const finishing =
    running === 0
      ? 'nothing is running on ComfyUI'
      : seconds === 0
        ? `${generations(running)} running on ComfyUI ${running === 1 ? 'is' : 'are'} kept for the next start (shutdownSeconds is 0)`
        : `letting ${generations(running)} running on ComfyUI finish (up to ${seconds} s)`;
  const waiting =
    queued === 0 ? '' : `; ${generations(queued)} waiting in the queue stay for the next start`;
  return `stopping: taking no new work; ${finishing}${waiting}…\n`;
}

/** The last line: stopped, and what the next start takes up. */
export function describeStopped(left: number, dataDir: string): string {
  return left === 0
    ? 'stopped\n'
    : `stopped; ${generations(left)} left unfinished ${left === 1 ? 'is' : 'are'} kept in ${dataDir} for the next start\n`;
}

function generations(count: number): string {
  return `${count} generation${count === 1 ? '' : 's'}`;
}
