import { PluginHost, type ObjectInfo } from '@comfyrelay/core';
import { command } from '../command.js';
import { comfyUrlsFrom } from '../comfyUrls.js';
import { RefusedError, UsageError } from '../errors.js';
import { writeTo } from '../io.js';
import { createStreamLogger, logLevelFrom } from '../logger.js';
import { fetchObjectInfo, type ObjectInfoSource } from '../objectInfo.js';
import { parseCommandArgs } from '../parseCommandArgs.js';
import {
  formatWorkflowHelp,
  formatWorkflowList,
  workflowView,
  type WorkflowView,
} from '../plugins/describeWorkflow.js';
import {
  describeLoadProblems,
  describeOffer,
  registerPlugins,
  type FolderFailure,
} from '../plugins/loadPlugins.js';
import { workflowsDirFrom } from '../settings/workflowsDir.js';
import { didYouMean } from '@comfyrelay/core';
import { WORKFLOWS_USAGE } from '../usage.js';

/** What `workflows --json` prints (one object). */
export interface WorkflowsOutput {
  workflows: WorkflowView[];
  /** The servers asked for live choices, in order; empty when none was given. */
  comfy: ObjectInfoSource[];
  /** The operator's folder, when one was given, and the files in it that gave no workflow. */
  folder: { dir: string; failures: FolderFailure[] } | null;
  /** Plugins that failed to load, and other problems, in words. */
  problems: string[];
}

/**
 * `comfyrelay workflows [<id>]`: every workflow the plugins offer (or one, like a command's
 * --help), generated from the definitions alone. With a server, live choices are read from it.
 */
export const workflowsCommand = command('workflows', WORKFLOWS_USAGE, async (argv, io) => {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      comfy: { type: 'string' },
      workflows: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [id, ...extra] = positionals;
  if (extra.length > 0)
    throw new UsageError(`one workflow at a time (also got ${extra.join(' ')})`);
  const urls = comfyUrlsFrom(values.comfy, io.env, 'to list without a server');
  const workflowsDir = await workflowsDirFrom(values.workflows, io.env, io.cwd);
  const logger = createStreamLogger(io.stderr, logLevelFrom(io.env, 'warn'));

  let objectInfo: ObjectInfo | undefined;
  let sources: ObjectInfoSource[] = [];
  if (urls.length > 0) {
    ({ objectInfo, sources } = await fetchObjectInfo(urls));
    for (const source of sources) {
      if (!source.checked)
        io.stderr.write(
          `comfyrelay workflows: cannot reach ComfyUI at ${source.url}: ${source.error}\n`,
        );
    }
    if (!objectInfo) {
      io.stderr.write(
        'comfyrelay workflows: listing offline (choices read from ComfyUI are not shown)\n',
      );
    }
  }

  const host = new PluginHost(logger);
  const report = await registerPlugins(host, {
    workflowsDir,
    ...(objectInfo ? { objectInfo } : {}),
    logger,
  });
  const problems = describeLoadProblems(report);
  const views = host
    .workflows()
    .map((definition) => workflowView(definition, host.pluginOf(definition.id), objectInfo));

  if (id !== undefined) {
    const view = views.find((candidate) => candidate.id === id);
    if (!view) {
      const ids = views.map((v) => v.id);
      const hint = didYouMean(id, ids);
      throw new RefusedError(
        `there is no workflow "${id}"${hint ? `; ${hint}` : '.'} Available: ${ids.join(', ') || 'none'}`,
      );
    }
    await writeTo(io.stdout, values.json ? `${JSON.stringify(view)}\n` : formatWorkflowHelp(view));
    return 0;
  }

  if (values.json) {
    const output: WorkflowsOutput = {
      workflows: views,
      comfy: sources,
      folder: report.folder ? { dir: report.folder.dir, failures: report.folder.failures } : null,
      problems,
    };
    await writeTo(io.stdout, `${JSON.stringify(output)}\n`);
    return 0;
  }
  const checked = sources.find((source) => source.checked);
  const header = [
    describeOffer(report),
    ...(checked ? [`choices read from ComfyUI at ${checked.url}`] : []),
    ...problems.map((problem) => `note: ${problem}`),
  ];
  await writeTo(io.stdout, formatWorkflowList(views, header));
  return 0;
});
