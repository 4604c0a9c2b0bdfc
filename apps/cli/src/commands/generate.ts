import { resolve } from 'node:path';
import {
  liveSource,
  ParameterError,
  PluginHost,
  validateParameters,
  type ChoiceResolver,
  type ComfyRelay,
  type FollowUpAction,
  type GenerationRecord,
  type WorkflowDefinition,
} from '@comfyrelay/core';
import { choicesIn, type ObjectInfo } from '@comfyrelay/core/protocol';
import { command } from '../command.js';
import { comfyUrlsFrom } from '../comfyUrls.js';
import { comfyTarget, DEFAULT_WAIT_S, ensureReachable, MAX_WAIT_S } from '../comfyTarget.js';
import { CliError, RefusedError, UsageError } from '../errors.js';
import { createStreamLogger, logLevelFrom } from '../logger.js';
import { prepareOutputDir } from '../outputDir.js';
import { parseCommandArgs, parseIntegerOption } from '../parseCommandArgs.js';
import { buildParameters, describeParameterError } from '../plugins/buildParameters.js';
import {
  describeLoadProblems,
  objectInfoFromRelay,
  registerPlugins,
} from '../plugins/loadPlugins.js';
import { chooseRenderer } from '../render/chooseRenderer.js';
import type { RunRenderer } from '../render/RunRenderer.js';
import { simulatorCatalogue } from '../run/nodeCatalogue.js';
import { createRunRelay, runGenerations, type RunJob } from '../run/runGenerations.js';
import { maxUploadBytesFrom } from '../settings/uploadLimit.js';
import { workflowsDirFrom } from '../settings/workflowsDir.js';
import { didYouMean } from '@comfyrelay/core';
import { GENERATE_USAGE } from '../usage.js';
import { MAX_COUNT } from './run.js';

/**
 * `comfyrelay generate <workflow-id>`: any workflow a plugin offers, its parameters built from
 * its definition alone, N at once over one relay, with the same output as `run`. Everything is
 * checked before anything reaches ComfyUI, and before a simulator is started: the options, the
 * workflow and its actions, the pictures, the output folder and, when the simulator will run it,
 * the parameters (its lists are known in advance). With a server, the parameters are checked
 * against its live choices (models …) once it answers, every problem at once.
 */
export const generateCommand = command('generate', GENERATE_USAGE, async (argv, io) => {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      param: { type: 'string', short: 'p', multiple: true },
      image: { type: 'string', multiple: true },
      count: { type: 'string', short: 'n' },
      action: { type: 'string', short: 'a', multiple: true },
      comfy: { type: 'string' },
      wait: { type: 'string' },
      out: { type: 'string', short: 'o' },
      workflows: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [workflowId, ...extra] = positionals;
  if (workflowId === undefined)
    throw new UsageError('which workflow? Give its id (comfyrelay workflows lists them)');
  if (extra.length > 0) {
    throw new UsageError(
      `one workflow at a time (also got ${extra.join(' ')}); parameters go with -p NAME=VALUE`,
    );
  }
  const count = parseIntegerOption('count', values.count, 1, MAX_COUNT) ?? 1;
  const waitMs = (parseIntegerOption('wait', values.wait, 0, MAX_WAIT_S) ?? DEFAULT_WAIT_S) * 1000;
  const urls = comfyUrlsFrom(values.comfy, io.env);
  const logLevel = logLevelFrom(io.env, 'warn');
  const maxImageBytes = maxUploadBytesFrom(io.env);
  const workflowsDir = await workflowsDirFrom(values.workflows, io.env, io.cwd);
  const actionIds = [...new Set(values.action ?? [])];
  const outDir = resolve(io.cwd, values.out ?? 'outputs');

  let renderer: RunRenderer | undefined;
  const logger = createStreamLogger(io.stderr, logLevel, (print) =>
    renderer?.printAbove && io.stderr.isTTY ? renderer.printAbove(print) : print(),
  );

  // Before any server: the simulator a run without one starts is known in advance.
  const offlineInfo = urls.length === 0 ? simulatorCatalogue().objectInfo : undefined;
  const offline = new PluginHost(logger);
  await registerPlugins(offline, { workflowsDir, objectInfo: offlineInfo, logger });
  const planned = findWorkflow(offline.workflows(), workflowId);
  findActions(offline.workflows(), planned, actionIds);
  const input = await buildParameters(
    planned,
    values.param ?? [],
    values.image ?? [],
    io.cwd,
    maxImageBytes,
  );
  // With a server, its live choices (models …) are part of the check: it is done there, all at once.
  if (offlineInfo)
    await refuseParameters(planned, () =>
      validateParameters(planned, input, choicesOf(offlineInfo)),
    );
  await prepareOutputDir(outDir);

  const target = await comfyTarget(urls, io, {
    port: 0,
    purpose: 'for this run (it stops when the run ends); its images are not real',
  });
  let relay: ComfyRelay | undefined;
  try {
    if (!target.simulatorUrl)
      await ensureReachable(target.urls, logger, {
        waitMs,
        say: (line) => io.stderr.write(`${line}\n`),
      });
    relay = createRunRelay(target.urls, logger);
    const report = await registerPlugins(relay, {
      workflowsDir,
      fetchObjectInfo: objectInfoFromRelay(relay),
      logger,
    });
    for (const problem of describeLoadProblems(report))
      io.stderr.write(`comfyrelay generate: note: ${problem}\n`);

    const definition = findWorkflow(relay.workflows(), workflowId);
    const actions = findActions(relay.workflows(), definition, actionIds);
    const onServer = relay;
    await refuseParameters(definition, () => onServer.validate(definition.id, input));

    const jobs = planJobs(relay, definition, input, count, actions);
    const total = count * (1 + actions.length);
    const labels = Array.from({ length: total }, (_, i) =>
      i < count
        ? undefined
        : `${actions[Math.floor(i / count) - 1]?.id ?? 'action'} of #${(i % count) + 1}`,
    );
    renderer = chooseRenderer(values.json ?? false, io, total, labels);
    return await runGenerations({
      relay,
      jobs,
      command: 'generate',
      outDir,
      renderer,
      logger,
      io,
    });
  } finally {
    await relay?.stop();
    await renderer?.close();
    await target.stop();
  }
});

function findWorkflow(workflows: WorkflowDefinition[], id: string): WorkflowDefinition {
  const found = workflows.find((definition) => definition.id === id);
  if (found) return found;
  const ids = workflows.map((definition) => definition.id);
  const hint = didYouMean(id, ids);
  throw new RefusedError(
    `there is no workflow "${id}"${hint ? `; ${hint}` : '.'} Available: ${ids.join(', ') || 'none'} (details: comfyrelay workflows)`,
  );
}

function findActions(
  workflows: WorkflowDefinition[],
  definition: WorkflowDefinition,
  ids: readonly string[],
): FollowUpAction[] {
  return ids.map((id) => {
    const offered = definition.actions ?? [];
    const action = offered.find((candidate) => candidate.id === id);
    if (!action) {
      const hint = didYouMean(
        id,
        offered.map((a) => a.id),
      );
      throw new RefusedError(
        `${definition.id} offers no follow-up action "${id}"${
          offered.length > 0
            ? `${hint ? `; ${hint}` : '.'} It offers: ${offered.map((a) => a.id).join(', ')}`
            : ' (it offers none)'
        }`,
      );
    }
    if (
      action.workflow !== undefined &&
      !workflows.some((candidate) => candidate.id === action.workflow)
    ) {
      throw new RefusedError(
        `the "${id}" action of ${definition.id} runs ${action.workflow}, which is not loaded`,
      );
    }
    return action;
  });
}

/** A fixed list as it is; a live one from the catalogue of the simulator that will run it. */
function choicesOf(objectInfo: ObjectInfo): ChoiceResolver {
  return async (spec) => {
    if (Array.isArray(spec.choices)) return spec.choices as readonly string[];
    const from = liveSource(spec);
    return from ? choicesIn(objectInfo, from) : undefined;
  };
}

/** Core's check of the parameters; its refusal said in plain words, before anything is sent. */
async function refuseParameters(
  definition: WorkflowDefinition,
  check: () => Promise<unknown>,
): Promise<void> {
  try {
    await check();
  } catch (error) {
    if (error instanceof ParameterError)
      throw new RefusedError(describeParameterError(definition, error));
    throw error;
  }
}

function hasWorkflow(relay: ComfyRelay, id: string): boolean {
  return relay.workflows().some((definition) => definition.id === id);
}

/** The first pass (`count` generations), each with its follow-ups (`--action`), numbered line by line. */
function planJobs(
  relay: ComfyRelay,
  definition: WorkflowDefinition,
  input: Record<string, unknown>,
  count: number,
  actions: FollowUpAction[],
): RunJob[] {
  return Array.from({ length: count }, (_, i) => ({
    index: i + 1,
    submit: (relay, origin) => relay.generate(definition.id, input, { origin }),
    details: (record) => ({ workflow: definition.id, seeds: seedsOf(relay, record) }),
    followUps: actions.map((action, a) => ({
      index: count * (a + 1) + i + 1,
      submit: (relay, origin, parent) => {
        if (!parent) throw new CliError(`${action.id} needs a finished result`);
        return relay.runAction(parent, action.id, { origin });
      },
      details: (record) => ({
        workflow: record.workflow ?? action.workflow ?? definition.id,
        action: action.id,
        of: i + 1,
        seeds: seedsOf(relay, record),
      }),
    })),
  }));
}

/** The seeds a generation runs with, by parameter name (drawn by the relay unless given). */
function seedsOf(relay: ComfyRelay, record: GenerationRecord): Record<string, number> {
  const workflow = record.workflow;
  if (workflow === undefined || !hasWorkflow(relay, workflow)) return {};
  const seeds: Record<string, number> = {};
  for (const spec of relay.workflow(workflow).parameters) {
    const value = record.parameters?.[spec.name];
    if (spec.type === 'seed' && typeof value === 'number') seeds[spec.name] = value;
  }
  return seeds;
}
