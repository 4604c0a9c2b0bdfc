import { silentLogger, type Logger, type Plugin } from '@comfyrelay/core';
import type { ObjectInfo } from '@comfyrelay/core/protocol';
import { loadWorkflowFolder, type FolderLoadResult } from './loadWorkflowFolder.js';

export interface FolderWorkflowsPluginOptions {
  /** The folder of exported workflows (and their manifests). */
  dir: string;
  /** The server's node catalogue, to check classes and inputs and to read ranges and choices. */
  objectInfo?: ObjectInfo;
  /** Or a way to fetch it; if it fails or times out, the folder is checked offline. */
  fetchObjectInfo?: () => Promise<ObjectInfo>;
  /** Default 10 s. */
  objectInfoTimeoutMs?: number;
  logger?: Logger;
  /** Plugin name (default "folder-workflows"): give each folder its own when using several. */
  name?: string;
}

export interface FolderWorkflowsPlugin extends Plugin {
  /** What the last `register` loaded and refused (undefined before it ran). */
  readonly result: FolderLoadResult | undefined;
}

/**
 * The operators' own workflows: every usable workflow of `dir` becomes a command, with the id
 * `custom.<file name>`. A broken file is logged and skipped; it never stops the bot.
 */
export function createFolderWorkflowsPlugin(
  options: FolderWorkflowsPluginOptions,
): FolderWorkflowsPlugin {
  const logger = options.logger ?? silentLogger;
  let result: FolderLoadResult | undefined;
  return {
    name: options.name ?? 'folder-workflows',
    get result() {
      return result;
    },
    async register(host) {
      const objectInfo = options.objectInfo ?? (await fetchWithin(options, logger));
      const loaded = await loadWorkflowFolder(options.dir, {
        logger,
        ...(objectInfo ? { objectInfo } : {}),
      });
      const registered = [];
      for (const definition of loaded.definitions) {
        try {
          host.registerWorkflow(definition);
          registered.push(definition);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const file =
            loaded.reports.find((r) => r.definition === definition)?.file ?? definition.id;
          loaded.failures.push({
            file,
            problems: [{ code: 'duplicate_id', severity: 'error', message }],
          });
          logger.error('workflow not registered', { file, id: definition.id, reason: message });
        }
      }
      result = { ...loaded, definitions: registered };
      logger.info('folder workflows loaded', {
        dir: options.dir,
        workflows: registered.map((d) => d.id),
        failed: loaded.failures.map((f) => f.file),
        checkedAgainstServer: objectInfo !== undefined,
      });
    },
  };
}

async function fetchWithin(
  options: FolderWorkflowsPluginOptions,
  logger: Logger,
): Promise<ObjectInfo | undefined> {
  if (!options.fetchObjectInfo) return undefined;
  const timeoutMs = options.objectInfoTimeoutMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      options.fetchObjectInfo(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    logger.warn(
      'could not read /object_info: checking the workflow folder offline (node classes and model names are not checked)',
      {
        dir: options.dir,
        reason: error instanceof Error ? error.message : String(error),
      },
    );
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
