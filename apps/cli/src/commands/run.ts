import { basename, resolve } from 'node:path';
import { command } from '../command.js';
import { comfyUrlsFrom } from '../comfyUrls.js';
import { comfyTarget, DEFAULT_WAIT_S, MAX_WAIT_S } from '../comfyTarget.js';
import { UsageError } from '../errors.js';
import { createStreamLogger, logLevelFrom } from '../logger.js';
import { prepareOutputDir } from '../outputDir.js';
import { parseCommandArgs, parseIntegerOption } from '../parseCommandArgs.js';
import { chooseRenderer } from '../render/chooseRenderer.js';
import { catalogueFor } from '../run/catalogueFor.js';
import { prepareFileRun } from '../run/prepareFileRun.js';
import { createRunRelay, runGenerations, type RunJob } from '../run/runGenerations.js';
import { planGenerations, seedDefaults } from '../run/seeds.js';
import { parseImageOption, parseSetOption } from '../run/setOption.js';
import { maxUploadBytesFrom } from '../settings/uploadLimit.js';
import { RUN_USAGE } from '../usage.js';
import { loadWorkflowFile } from '../workflowFile.js';

export const MAX_COUNT = 1000;

/**
 * `comfyrelay run FILE`: the file runs as a workflow definition (`NODE.INPUT` parameters).
 * Everything that can be refused is refused before anything reaches ComfyUI, all at once:
 * options, the file, every --set and --image (against the node classes the server, or the
 * simulator that will run it, knows), the graph as `workflow check` would see it, the output
 * folder. Only then is a simulator started, when no server was given.
 */
export const runCommand = command('run', RUN_USAGE, async (argv, io) => {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      set: { type: 'string', short: 's', multiple: true },
      image: { type: 'string', multiple: true },
      force: { type: 'boolean' },
      count: { type: 'string', short: 'n' },
      comfy: { type: 'string' },
      wait: { type: 'string' },
      out: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [file, ...extra] = positionals;
  if (file === undefined)
    throw new UsageError('which workflow? Give the path of an API-format workflow JSON file');
  if (extra.length > 0)
    throw new UsageError(`one workflow at a time (also got ${extra.join(' ')})`);
  const count = parseIntegerOption('count', values.count, 1, MAX_COUNT) ?? 1;
  const waitMs = (parseIntegerOption('wait', values.wait, 0, MAX_WAIT_S) ?? DEFAULT_WAIT_S) * 1000;
  const urls = comfyUrlsFrom(values.comfy, io.env);
  const logLevel = logLevelFrom(io.env, 'warn');
  const maxImageBytes = maxUploadBytesFrom(io.env);
  const sets = (values.set ?? []).map(parseSetOption);
  const imageOptions = (values.image ?? []).map(parseImageOption);
  const path = resolve(io.cwd, file);
  const graph = await loadWorkflowFile(path);
  const outDir = resolve(io.cwd, values.out ?? 'outputs');

  let renderer: ReturnType<typeof chooseRenderer> | undefined;
  const logger = createStreamLogger(io.stderr, logLevel, (print) =>
    renderer?.printAbove && io.stderr.isTTY ? renderer.printAbove(print) : print(),
  );
  const say = (line: string) => io.stderr.write(`${line}\n`);
  const prepared = await prepareFileRun({
    graph,
    title: basename(path),
    sets,
    images: imageOptions,
    force: values.force ?? false,
    catalogue: await catalogueFor(urls, logger, { waitMs, say }),
    cwd: io.cwd,
    maxImageBytes,
  });
  await prepareOutputDir(outDir);
  for (const note of prepared.notes) say(`comfyrelay run: ${note}`);

  const { definition, given } = prepared;
  const plan = planGenerations(prepared.graph, count, prepared.setByHand);
  const target = await comfyTarget(urls, io, {
    port: 0,
    purpose: 'for this run (it stops when the run ends); its images are not real',
  });
  let relay;
  try {
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
    renderer = chooseRenderer(values.json ?? false, io, count);
    return await runGenerations({ relay, jobs, command: 'run', outDir, renderer, logger, io });
  } finally {
    await relay?.stop();
    await renderer?.close();
    await target.stop();
  }
});
