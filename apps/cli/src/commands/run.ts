import { mkdir } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { workflowFromGraph } from '@comfyrelay/plugin-folder';
import { command } from '../command.js';
import { comfyUrlsFrom } from '../comfyUrls.js';
import { comfyTarget, DEFAULT_WAIT_S, ensureReachable, MAX_WAIT_S } from '../comfyTarget.js';
import { CliError, messageOf, UsageError } from '../errors.js';
import { writeTo } from '../io.js';
import { createStreamLogger, logLevelFrom } from '../logger.js';
import { parseCommandArgs, parseIntegerOption } from '../parseCommandArgs.js';
import { chooseRenderer } from '../render/chooseRenderer.js';
import { createRunRelay, runGenerations, type RunJob } from '../run/runGenerations.js';
import { RUN_USAGE } from '../usage.js';
import {
  applyOverrides,
  loadWorkflowFile,
  parametersFromOverrides,
  parseSetOption,
  planGenerations,
  seedDefaults,
} from '../workflowFile.js';

export const MAX_COUNT = 1000;
/** The id under which `run` registers the file it runs. */
const RUN_WORKFLOW_ID = 'file.run';
export const runCommand = command('run', RUN_USAGE, async (argv, io) => {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      set: { type: 'string', short: 's', multiple: true },
      count: { type: 'string', short: 'n' },
      comfy: { type: 'string' },
      wait: { type: 'string' },
      out: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    await writeTo(io.stdout, RUN_USAGE);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined)
    throw new UsageError('which workflow? Give the path of an API-format workflow JSON file');
  if (extra.length > 0)
    throw new UsageError(`one workflow at a time (also got ${extra.join(' ')})`);
  const count = parseIntegerOption('count', values.count, 1, MAX_COUNT) ?? 1;
  const urls = comfyUrlsFrom(values.comfy, io.env);
  const waitMs = (parseIntegerOption('wait', values.wait, 0, MAX_WAIT_S) ?? DEFAULT_WAIT_S) * 1000;

  const overrides = (values.set ?? []).map(parseSetOption);
  const path = resolve(io.cwd, file);
  const graph = await loadWorkflowFile(path);
  applyOverrides(graph, overrides); // refuses a node the file does not have, in words
  // The file runs as a workflow like any other: its values are its parameters, validated by core.
  const definition = workflowFromGraph(graph, { id: RUN_WORKFLOW_ID, title: basename(path) });
  const given = parametersFromOverrides(definition, overrides);
  const plan = planGenerations(
    graph,
    count,
    new Set(overrides.map((o) => `${o.nodeId}.${o.input}`)),
  );

  const outDir = resolve(io.cwd, values.out ?? 'outputs');
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    throw new CliError(`cannot create the output directory ${outDir}: ${messageOf(error)}`);
  }

  const renderer = chooseRenderer(values.json ?? false, io, count);
  const logger = createStreamLogger(io.stderr, logLevelFrom(io.env, 'warn'), (print) =>
    renderer.printAbove && io.stderr.isTTY ? renderer.printAbove(print) : print(),
  );
  const target = await comfyTarget(urls, io, {
    port: 0,
    purpose: 'for this run (it stops when the run ends)',
  });
  let relay;
  try {
    if (!target.simulatorUrl)
      await ensureReachable(target.urls, logger, {
        waitMs,
        say: (line) => io.stderr.write(`${line}\n`),
      });
    relay = createRunRelay(target.urls, logger);
    await relay.use({
      name: 'comfyrelay run',
      register: (host) => host.registerWorkflow(definition),
    });
    const fileSeeds = seedDefaults(definition);
    const jobs: RunJob[] = plan.map((planned, i) => ({
      index: i + 1,
      submit: (relay, origin) =>
        relay.generate(definition.id, { ...fileSeeds, ...given, ...planned.seeds }, { origin }),
      details: () => ({ seeds: planned.seeds }),
    }));
    return await runGenerations({ relay, jobs, command: 'run', outDir, renderer, logger, io });
  } finally {
    await relay?.stop();
    await renderer.close();
    await target.stop();
  }
});
