import type { ComfyRelay, Logger, ObjectInfo, Plugin } from '@comfyrelay/core';
import {
  createFolderWorkflowsPlugin,
  type FolderWorkflowsPlugin,
  type WorkflowProblem,
} from '@comfyrelay/plugin-folder';
import { createImagePlugin } from '@comfyrelay/plugin-image';
import { createVideoPlugin } from '@comfyrelay/plugin-video';
import { messageOf } from '../errors.js';

/** The plugin name of the operator's folder of exported workflows. */
export const FOLDER_PLUGIN_NAME = 'folder-workflows';

/** Where plugins register: the relay (`relay.use`), or a bare `PluginHost` for a listing. */
export interface PluginTarget {
  use(plugin: Plugin): Promise<void>;
}

export interface LoadPluginsOptions {
  /** The operator's folder of exported workflows (`--workflows DIR` / COMFYRELAY_WORKFLOWS_DIR). */
  workflowsDir?: string | undefined;
  /** The server's node catalogue for the folder's workflows, when already read … */
  objectInfo?: ObjectInfo | undefined;
  /** … or how to read it (from the relay's backend); failing that, the folder is checked offline. */
  fetchObjectInfo?: (() => Promise<ObjectInfo>) | undefined;
  /** How long to wait for /object_info, in ms (default: the folder plugin's 10 s). */
  objectInfoTimeoutMs?: number;
  /** The folder's own log lines go to debug: what matters is reported by {@link describeLoad}. */
  logger: Logger;
}

/** What a plugin registered, and whether it failed while registering. */
export interface PluginLoad {
  name: string;
  workflows: string[];
  /** The plugin threw while registering: the workflows it registered before that stay. */
  error?: string;
}

/** A file of the folder that gave no workflow, with every reason in words. */
export interface FolderFailure {
  file: string;
  problems: WorkflowProblem[];
}

/** What loading the plugins gave: the report `start` prints and `workflows --json` returns. */
export interface PluginsReport {
  plugins: PluginLoad[];
  folder?: {
    dir: string;
    /** The folder's workflows were checked against the server's /object_info. */
    checkedAgainstServer: boolean;
    /** Why /object_info could not be read (then the folder was checked offline). */
    objectInfoError?: string;
    failures: FolderFailure[];
  };
}

/**
 * The plugins every app of this build offers: plugin-image, plugin-video and, when a folder is
 * given, the operator's own exported workflows (`custom.<name>`). A new plugin added here gets
 * a command in `generate`, a listing in `workflows` and a place in `start` with no code of its own.
 */
export function createPlugins(options: LoadPluginsOptions): {
  plugins: Plugin[];
  folder: FolderWorkflowsPlugin | undefined;
  objectInfoError: () => string | undefined;
} {
  const plugins: Plugin[] = [createImagePlugin(), createVideoPlugin()];
  let objectInfoError: string | undefined;
  let folder: FolderWorkflowsPlugin | undefined;
  if (options.workflowsDir !== undefined) {
    const fetch = options.fetchObjectInfo;
    folder = createFolderWorkflowsPlugin({
      dir: options.workflowsDir,
      name: FOLDER_PLUGIN_NAME,
      logger: demoted(options.logger),
      ...(options.objectInfo ? { objectInfo: options.objectInfo } : {}),
      ...(options.objectInfoTimeoutMs !== undefined
        ? { objectInfoTimeoutMs: options.objectInfoTimeoutMs }
        : {}),
      ...(fetch && !options.objectInfo
        ? {
            fetchObjectInfo: () =>
              fetch().catch((error: unknown) => {
                objectInfoError = messageOf(error);
                throw error;
              }),
          }
        : {}),
    });
    plugins.push(folder);
  }
  return { plugins, folder, objectInfoError: () => objectInfoError };
}

/**
 * Registers the plugins on `target` and says what each offers. Never throws: a plugin that
 * fails to register is reported and the others still load; a broken workflow file only lands
 * in `folder.failures`.
 */
export async function registerPlugins(
  target: PluginTarget,
  options: LoadPluginsOptions,
): Promise<PluginsReport> {
  const { plugins, folder, objectInfoError } = createPlugins(options);
  const report: PluginsReport = { plugins: [] };
  for (const plugin of plugins) {
    const load: PluginLoad = { name: plugin.name, workflows: [] };
    report.plugins.push(load);
    try {
      await target.use(recording(plugin, load.workflows));
    } catch (error) {
      load.error = messageOf(error);
      options.logger.debug('plugin not registered', { plugin: plugin.name, error: load.error });
    }
  }
  if (folder && options.workflowsDir !== undefined) {
    const result = folder.result;
    const failed = objectInfoError();
    report.folder = {
      dir: options.workflowsDir,
      checkedAgainstServer:
        options.objectInfo !== undefined || (!!options.fetchObjectInfo && !failed),
      ...(failed !== undefined ? { objectInfoError: failed } : {}),
      failures: (result?.failures ?? []).map((failure) => ({
        file: failure.file,
        problems: failure.problems,
      })),
    };
  }
  return report;
}

/** Reads /object_info from the relay's servers, a connected one first. */
export function objectInfoFromRelay(relay: ComfyRelay): () => Promise<ObjectInfo> {
  return () => relay.objectInfo();
}

/** "9 workflows: 6 from plugin-image, 2 from plugin-video, 1 from the folder /srv/workflows". */
export function describeOffer(report: PluginsReport): string {
  const total = report.plugins.reduce((sum, plugin) => sum + plugin.workflows.length, 0);
  const parts = report.plugins
    .filter((plugin) => plugin.workflows.length > 0 || plugin.name === FOLDER_PLUGIN_NAME)
    .map((plugin) => `${plugin.workflows.length} from ${pluginLabel(plugin.name, report)}`);
  return `${total} workflow${total === 1 ? '' : 's'}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/** A plugin as people call it: "plugin-image", "the folder /srv/workflows". */
export function pluginLabel(name: string, report?: PluginsReport): string {
  if (name === FOLDER_PLUGIN_NAME)
    return report?.folder ? `the folder ${report.folder.dir}` : 'the workflow folder';
  return name.replace(/^@comfyrelay\//, '');
}

/**
 * The problems worth telling, one sentence each: plugins that failed, folder files that were
 * skipped (with every error), a folder checked offline. Empty when all went well.
 */
export function describeLoadProblems(report: PluginsReport): string[] {
  const lines: string[] = [];
  for (const plugin of report.plugins) {
    if (plugin.error)
      lines.push(`${pluginLabel(plugin.name, report)} failed to load: ${plugin.error}`);
  }
  const folder = report.folder;
  if (!folder) return lines;
  if (folder.objectInfoError !== undefined) {
    lines.push(
      `could not read /object_info from ComfyUI (${folder.objectInfoError}), so the workflows in ${folder.dir} were checked offline`,
    );
  }
  for (const failure of folder.failures) {
    const errors = failure.problems.filter((problem) => problem.severity === 'error');
    const reasons = (errors.length > 0 ? errors : failure.problems).map((p) => p.message);
    lines.push(
      failure.file === folder.dir
        ? reasons.join('; ') || `cannot read the workflow folder ${folder.dir}`
        : `skipped ${failure.file}: ${reasons.join('; ') || 'not usable'}`,
    );
  }
  return lines;
}

/** Records the ids a plugin registers (core's PluginHost does not say which plugin owns a workflow). */
function recording(plugin: Plugin, into: string[]): Plugin {
  return {
    name: plugin.name,
    register: (host) =>
      plugin.register({
        registerWorkflow(definition) {
          host.registerWorkflow(definition);
          into.push(definition.id);
        },
      }),
    ...(plugin.start ? { start: () => plugin.start?.() } : {}),
    ...(plugin.stop ? { stop: () => plugin.stop?.() } : {}),
  };
}

/** The folder plugin logs every skipped file as an error; the CLI says it in words instead. */
function demoted(logger: Logger): Logger {
  return {
    debug: (message, context) => logger.debug(message, context),
    info: (message, context) => logger.debug(message, context),
    warn: (message, context) => logger.debug(message, context),
    error: (message, context) => logger.debug(message, context),
  };
}
