import { whenAborted } from '../abort.js';
import { command } from '../command.js';
import { comfyUrlsFrom } from '../comfyUrls.js';
import { blockedPortReason, isBlockedPort } from '../blockedPorts.js';
import { RefusedError } from '../errors.js';
import { writeTo } from '../io.js';
import { createStreamLogger, logLevelFrom } from '../logger.js';
import { parseCommandArgs, parseIntegerOption } from '../parseCommandArgs.js';
import { describeLoadProblems, describeOffer, pluginLabel } from '../plugins/loadPlugins.js';
import { workflowsDirFrom } from '../settings/workflowsDir.js';
import { DEFAULT_EVENTS_PORT, startRelayService, type RelayService } from '../relayService.js';
import { START_USAGE } from '../usage.js';
import { version } from '../version.js';

/** Chat frontends that later builds add, by the variable that would switch them on. */
const PLANNED_FRONTENDS: [variable: string, name: string][] = [
  ['DISCORD_TOKEN', 'Discord'],
  ['TELEGRAM_BOT_TOKEN', 'Telegram'],
];

/** Runs until `io.signal` aborts (SIGINT/SIGTERM from the binary), then shuts everything down. */
export const startCommand = command('start', START_USAGE, async (argv, io) => {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      comfy: { type: 'string' },
      'events-port': { type: 'string' },
      workflows: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const eventsPort = eventsPortFrom(values['events-port'], io.env['COMFYRELAY_EVENTS_PORT']);
  const logger = createStreamLogger(io.stderr, logLevelFrom(io.env, 'info'));
  const service = await startRelayService(
    {
      comfyUrls: comfyUrlsFrom(values.comfy, io.env),
      eventsPort,
      workflowsDir: await workflowsDirFrom(values.workflows, io.env, io.cwd),
    },
    io,
    logger,
  );
  await writeTo(io.stdout, describeService(service, io.env));
  await whenAborted(io.signal);
  await writeTo(io.stdout, 'stopping…\n');
  await service.stop();
  await writeTo(io.stdout, 'stopped\n');
  return 0;
});

/** Dashboards are web pages: a port browsers refuse would leave them blind. */
function eventsPortFrom(option: string | undefined, env: string | undefined): number {
  const port = portFrom(option, env);
  if (isBlockedPort(port))
    throw new RefusedError(
      `${option !== undefined ? '--events-port' : 'COMFYRELAY_EVENTS_PORT'} ${port}: ${blockedPortReason(port, 'dashboards in a browser could not connect to the event stream', DEFAULT_EVENTS_PORT)}`,
    );
  return port;
}

function portFrom(option: string | undefined, env: string | undefined): number {
  if (option !== undefined)
    return parseIntegerOption('events-port', option, 0, 65535) ?? DEFAULT_EVENTS_PORT;
  if (env === undefined || env.trim() === '') return DEFAULT_EVENTS_PORT;
  const port = Number(env);
  if (!/^\s*\d+\s*$/.test(env) || port > 65535) {
    throw new RefusedError(
      `COMFYRELAY_EVENTS_PORT must be a port number from 0 to 65535, not "${env}"`,
    );
  }
  return port;
}

export function describeService(
  service: RelayService,
  env: Record<string, string | undefined>,
): string {
  const lines = [`comfyrelay ${version} is running`];
  for (const url of service.comfyUrls) {
    lines.push(
      `  ComfyUI       ${url}${url === service.simulatorUrl ? ' (simulator started by comfyrelay)' : ''}`,
    );
  }
  lines.push(`  event stream  ${service.eventsUrl}`);
  lines.push(`  offers        ${describeOffer(service.plugins)}`);
  for (const plugin of service.plugins.plugins) {
    if (plugin.workflows.length > 0)
      lines.push(
        `    ${pluginLabel(plugin.name, service.plugins)}: ${plugin.workflows.join(', ')}`,
      );
  }
  for (const problem of describeLoadProblems(service.plugins)) lines.push(`  note: ${problem}`);
  lines.push('  no chat frontends configured yet');
  for (const [variable, name] of PLANNED_FRONTENDS) {
    if (env[variable])
      lines.push(`  ${variable} is set, but the ${name} frontend is not part of this build yet`);
  }
  lines.push('Press Ctrl-C to stop.');
  return `${lines.join('\n')}\n`;
}
