import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  ParameterError,
  type ComfyRelay,
  type FollowUpAction,
  type GenerationRecord,
  type WorkflowDefinition,
} from '@comfyrelay/core';
import { command } from '../command.js';
import { comfyUrlsFrom } from '../comfyUrls.js';
import { comfyTarget, DEFAULT_WAIT_S, ensureReachable, MAX_WAIT_S } from '../comfyTarget.js';
import { CliError, messageOf, RefusedError, UsageError } from '../errors.js';
import { writeTo } from '../io.js';
import { createStreamLogger, logLevelFrom } from '../logger.js';
import { parseCommandArgs, parseIntegerOption } from '../parseCommandArgs.js';
import { buildParameters, describeParameterError } from '../plugins/buildParameters.js';
import {
  describeLoadProblems,
  objectInfoFromRelay,
  registerPlugins,
  workflowsDirFrom,
} from '../plugins/loadPlugins.js';
import { chooseRenderer } from '../render/chooseRenderer.js';
import type { RunRenderer } from '../render/RunRenderer.js';
import { createRunRelay, runGenerations, type RunJob } from '../run/runGenerations.js';
import { GENERATE_USAGE } from '../usage.js';
import { MAX_COUNT } from './run.js';

/**
 * `comfyrelay generate <workflow-id>`: any workflow a plugin offers, its parameters built from
 * its definition alone, N at once over one relay, with the same output as `run`.
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
  if (values.help) {
    await writeTo(io.stdout, GENERATE_USAGE);
    return 0;
  }
  const [workflowId, ...extra] = positionals;
  if (workflowId === undefined)
    throw new UsageError('which workflow? Give its id (comfyrelay workflows lists them)');
  if (extra.length > 0) {
    throw new UsageError(
      `one workflow at a time (also got ${extra.join(' ')}); parameters go with -p NAME=VALUE`,
    );
  }
  const count = parseIntegerOption('count', values.count, 1, MAX_COUNT) ?? 1;
  const urls = comfyUrlsFrom(values.comfy, io.env);
  const waitMs = (parseIntegerOption('wait', values.wait, 0, MAX_WAIT_S) ?? DEFAULT_WAIT_S) * 1000;
  const workflowsDir = workflowsDirFrom(values.workflows, io.env, io.cwd);
  const actionIds = [...new Set(values.action ?? [])];
  const outDir = resolve(io.cwd, values.out ?? 'outputs');

  let renderer: RunRenderer | undefined;
  const logger = createStreamLogger(io.stderr, logLevelFrom(io.env, 'warn'), (print) =>
    renderer?.printAbove && io.stderr.isTTY ? renderer.printAbove(print) : print(),
  );
  const target = await comfyTarget(urls, io, {
    port: 0,
    purpose: 'for this run (it stops when the run ends)',
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

    const definition = findWorkflow(relay, workflowId);
    const actions = actionIds.map((id) => findAction(relay as ComfyRelay, definition, id));
    const input = await buildParameters(definition, values.param ?? [], values.image ?? [], io.cwd);
    await checkParameters(relay, definition, input);

    try {
      await mkdir(outDir, { recursive: true });
    } catch (error) {
      throw new CliError(`cannot create the output directory ${outDir}: ${messageOf(error)}`);
    }
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

function findWorkflow(relay: ComfyRelay, id: string): WorkflowDefinition {
  const workflows = relay.workflows();
  const found = workflows.find((definition) => definition.id === id);
  if (found) return found;
  const ids = workflows.map((definition) => definition.id);
  throw new RefusedError(
    `there is no workflow "${id}". Available: ${ids.join(', ') || 'none'} (details: comfyrelay workflows)`,
  );
}

function findAction(relay: ComfyRelay, definition: WorkflowDefinition, id: string): FollowUpAction {
  const offered = definition.actions ?? [];
  const action = offered.find((candidate) => candidate.id === id);
  if (!action) {
    throw new RefusedError(
      `${definition.id} offers no follow-up action "${id}"${
        offered.length > 0
          ? `; it offers: ${offered.map((a) => a.id).join(', ')}`
          : ' (it offers none)'
      }`,
    );
  }
  if (action.workflow !== undefined && !hasWorkflow(relay, action.workflow)) {
    throw new RefusedError(
      `the "${id}" action of ${definition.id} runs ${action.workflow}, which is not loaded`,
    );
  }
  return action;
}

/**
 * Validates the parameters the way the relay will (it is the relay's own check, live choices
 * included), so a refusal is said before anything (an image upload, a prompt) reaches ComfyUI.
 */
async function checkParameters(
  relay: ComfyRelay,
  definition: WorkflowDefinition,
  input: Record<string, unknown>,
): Promise<void> {
  try {
    await relay.validate(definition.id, input);
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
