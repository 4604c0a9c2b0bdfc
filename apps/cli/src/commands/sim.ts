import { whenAborted } from '../abort.js';
import { command } from '../command.js';
import { CliError, messageOf } from '../errors.js';
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
  if (values.help) {
    await writeTo(io.stdout, SIM_USAGE);
    return 0;
  }
  const port = parseIntegerOption('port', values.port, 0, 65535) ?? COMFYUI_DEFAULT_PORT;
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
    throw new CliError(
      isAddressInUse(error)
        ? `port ${port} is in use (is ComfyUI already running?); pass --port P, or --port 0 for any free port`
        : `could not start the simulator: ${messageOf(error)}`,
    );
  }
  await writeTo(io.stdout, `ComfyUI simulator listening on ${sim.url}\nPress Ctrl-C to stop.\n`);
  await whenAborted(io.signal);
  await sim.stop();
  await writeTo(io.stdout, 'simulator stopped\n');
  return 0;
});
