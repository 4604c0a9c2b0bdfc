import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger, type Logger, type WorkflowDefinition } from '@comfyrelay/core';
import type { ObjectInfo } from '@comfyrelay/core/protocol';
import type { WorkflowProblem } from '../detect/WorkflowProblem.js';
import {
  checkWorkflowFile,
  MANIFEST_SUFFIX,
  type WorkflowFileReport,
} from './checkWorkflowFile.js';

export interface WorkflowLoadFailure {
  file: string;
  problems: WorkflowProblem[];
}

export interface FolderLoadResult {
  definitions: WorkflowDefinition[];
  /** Files that gave no usable workflow, each with every reason. */
  failures: WorkflowLoadFailure[];
  /** The full report of every workflow file, usable or not. */
  reports: WorkflowFileReport[];
}

/**
 * Every exported workflow of a folder (`*.json`, not `*.manifest.json`, not recursive), in file
 * name order. Never throws: a broken file, or a missing folder, lands in `failures` and is
 * logged, and the good ones still load.
 */
export async function loadWorkflowFolder(
  dir: string,
  options: { objectInfo?: ObjectInfo; logger?: Logger } = {},
): Promise<FolderLoadResult> {
  const logger = options.logger ?? silentLogger;
  const result: FolderLoadResult = { definitions: [], failures: [], reports: [] };
  let names: string[];
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    names = entries
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    const reason = folderProblem((error as NodeJS.ErrnoException).code);
    const failure: WorkflowLoadFailure = {
      file: dir,
      problems: [
        {
          code: 'unreadable',
          severity: 'error',
          message: `cannot read the workflow folder ${dir}: ${reason}`,
        },
      ],
    };
    logger.error('workflow folder not loaded', { dir, reason });
    result.failures.push(failure);
    return result;
  }
  const isManifest = (name: string) => name.toLowerCase().endsWith(MANIFEST_SUFFIX);
  const workflows = names.filter(
    (name) => name.toLowerCase().endsWith('.json') && !isManifest(name),
  );
  for (const name of names.filter(isManifest)) {
    const workflow = `${name.slice(0, -MANIFEST_SUFFIX.length)}.json`;
    if (!workflows.includes(workflow)) {
      fail(result, logger, join(dir, name), [
        {
          code: 'manifest_invalid',
          severity: 'error',
          message: `${name} has no workflow beside it (expected ${workflow})`,
        },
      ]);
    }
  }
  const ids = new Map<string, string>();
  for (const name of workflows) {
    const file = join(dir, name);
    const report = await checkWorkflowFile(
      file,
      options.objectInfo ? { objectInfo: options.objectInfo } : {},
    );
    result.reports.push(report);
    const definition = report.definition;
    if (!definition) {
      fail(result, logger, file, report.problems);
      continue;
    }
    const taken = ids.get(definition.id);
    if (taken) {
      fail(result, logger, file, [
        {
          code: 'duplicate_id',
          severity: 'error',
          message: `${name} would be ${definition.id}, which ${taken} already is; give one of them another "id" in its manifest`,
        },
      ]);
      continue;
    }
    ids.set(definition.id, name);
    result.definitions.push(definition);
    const warnings = report.problems.map((p) => p.message);
    if (warnings.length > 0)
      logger.warn('workflow loaded with warnings', { file, id: definition.id, warnings });
    else logger.debug('workflow loaded', { file, id: definition.id });
  }
  return result;
}

function fail(
  result: FolderLoadResult,
  logger: Logger,
  file: string,
  problems: WorkflowProblem[],
): void {
  result.failures.push({ file, problems });
  logger.error('workflow not loaded', { file, problems: problems.map((p) => p.message) });
}

/** Why a folder could not be listed, in words (never "Error: ENOTDIR: not a directory, scandir …"). */
function folderProblem(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return 'the folder does not exist';
    case 'ENOTDIR':
      return 'it is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return 'the system would not list it';
  }
}
