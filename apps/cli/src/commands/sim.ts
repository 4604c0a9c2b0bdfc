import { whenAborted } from '../abort.js';
import { command } from '../command.js';
import { blockedPortReason, isBlockedPort } from '../blockedPorts.js';
import { CliError, messageOf, RefusedError } from '../errors.js';
import { writeTo } from '../io.js';
import { parseCommandArgs, parseIntegerOption } from '../parseCommandArgs.js';
import { COMFYUI_DEFAULT_PORT, isAddressInUse, startSimulator } from '../simulator.js';
import { SIM_USAGE } from '../usage.js';

/** Runs the simulator until `io.signal` aborts (SIGINT/SIGTERM from the binary). */
export const simCommand = command('sim', SIM_USAGE, async (argv, io) => {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'step-delay': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const port = parseIntegerOption('port', values.port, 0, 65535) ?? COMFYUI_DEFAULT_PORT;
  if (isBlockedPort(port))
    throw new RefusedError(
      `--port ${port}: ${blockedPortReason(port, 'comfyrelay and browsers could not reach the simulator there', COMFYUI_DEFAULT_PORT)}`,
    );
  if (values.host !== undefined && values.host.trim() === '')
    throw new RefusedError('--host is empty; give an address to listen on, such as 127.0.0.1');
  const stepDelayMs =
    parseIntegerOption('step-delay', values['step-delay'], 0, 60_000) ?? io.simulator?.stepDelayMs;
  let sim;
  try {
    sim = await startSimulator({
      ...io.simulator,
      port,
      ...(values.host !== undefined ? { host: values.host } : {}),
      ...(stepDelayMs !== undefined ? { stepDelayMs } : {}),
    });
  } catch (error) {
    const why = describeListenFailure(error, port, values.host ?? '127.0.0.1');
    // A host that is not this machine's is a wrong argument; a port in use is the machine's state.
    throw isAddressInUse(error) ? new CliError(why) : new RefusedError(why);
  }
  await writeTo(io.stdout, `ComfyUI simulator listening on ${sim.url}\nPress Ctrl-C to stop.\n`);
  await whenAborted(io.signal);
  await sim.stop();
  await writeTo(io.stdout, 'simulator stopped\n');
  return 0;
});

function describeListenFailure(error: unknown, port: number, host: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (isAddressInUse(error))
    return `port ${port} is in use (is ComfyUI already running?); pass --port P, or --port 0 for any free port`;
  if (code === 'EACCES')
    return `port ${port} needs administrator rights on this system; use a port above 1023, such as 8188`;
  if (code === 'EADDRNOTAVAIL')
    return `--host ${host} is not an address of this machine; use 127.0.0.1, 0.0.0.0 or one of its own addresses`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `--host ${host} is not a host name this machine can find; use 127.0.0.1 or an address of its own`;
  // Node words it "listen EINVAL: invalid argument …": keep the words, not the code.
  const words = messageOf(error).replace(/^(?:\w+ )?E[A-Z]+: /, '');
  return `could not start the simulator on ${host}:${port} (${words})`;
}
