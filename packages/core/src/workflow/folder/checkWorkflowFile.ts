import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ObjectInfo } from '../../protocol/rest.js';
import { detectWorkflow } from '../detect/detectWorkflow.js';
import { titleFromName } from '../detect/describeWorkflowKind.js';
import { parseWorkflowJson } from '../detect/parseWorkflowJson.js';
import { isObject, MANIFEST_KEY } from '../detect/readApiWorkflow.js';
import type { WorkflowDetection } from '../detect/WorkflowDetection.js';
import type { WorkflowProblem } from '../detect/WorkflowProblem.js';
import { applyManifest } from './applyManifest.js';
import { parseManifest } from './parseManifest.js';
import type { WorkflowManifest } from './WorkflowManifest.js';
import { workflowIdFromName } from './workflowIdFromName.js';

export const MANIFEST_SUFFIX = '.manifest.json';

export interface WorkflowFileReport extends WorkflowDetection {
  /** The workflow file checked. */
  file: string;
  /** The manifest applied: the file beside it, or the workflow file itself for an embedded one. */
  manifestFile?: string;
}

/**
 * Read one exported workflow and its manifest (`<name>.manifest.json` beside it, or a
 * `comfyrelay` key inside), detect its parameters and check it. Never throws: an unreadable
 * or broken file comes back with its problems and no definition.
 */
export async function checkWorkflowFile(
  file: string,
  options: { objectInfo?: ObjectInfo } = {},
): Promise<WorkflowFileReport> {
  const name = basename(file).replace(/\.json$/i, '');
  const empty = { file, detected: [], missing: [], parameters: [], outputs: [] };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ...empty, problems: [unreadable(`cannot read ${file}: ${reasonOf(error)}`)] };
  }
  const parsed = parseWorkflowJson(text);
  if (parsed.data === undefined) return { ...empty, problems: parsed.problems };

  const sidecarFile = join(dirname(file), `${name}${MANIFEST_SUFFIX}`);
  const sidecar = await readManifestFile(sidecarFile);
  const embedded = isObject(parsed.data) ? parsed.data[MANIFEST_KEY] : undefined;
  const problems: WorkflowProblem[] = [...sidecar.problems];
  let manifest: WorkflowManifest | undefined;
  let manifestFile: string | undefined;
  if (sidecar.found) {
    manifestFile = sidecarFile;
    manifest = sidecar.manifest;
    if (embedded !== undefined) {
      problems.push({
        code: 'manifest_invalid',
        severity: 'warning',
        message: `${basename(file)} has a "${MANIFEST_KEY}" key and ${basename(sidecarFile)} sits beside it; only ${basename(sidecarFile)} is used`,
      });
    }
  } else if (embedded !== undefined) {
    manifestFile = file;
    const read = parseManifest(embedded, `${basename(file)} "${MANIFEST_KEY}"`);
    problems.push(...read.problems);
    manifest = read.manifest;
  }

  const id = workflowIdFromName(manifest?.id ?? name);
  const title = titleFromName(name);
  const detection = detectWorkflow(parsed.data, { ...options, id, title });
  const source =
    manifestFile === file
      ? `${basename(file)} "${MANIFEST_KEY}"`
      : basename(manifestFile ?? sidecarFile);
  const applied = applyManifest(
    { ...detection, problems: [...problems, ...detection.problems] },
    manifest,
    {
      ...options,
      id,
      title,
      source,
      ...(detection.definition ? { description: detection.definition.description } : {}),
    },
  );
  return { ...applied, file, ...(manifestFile ? { manifestFile } : {}) };
}

async function readManifestFile(
  path: string,
): Promise<{ found: boolean; manifest?: WorkflowManifest; problems: WorkflowProblem[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { found: false, problems: [] };
    return { found: true, problems: [unreadable(`cannot read ${path}: ${reasonOf(error)}`)] };
  }
  const parsed = parseWorkflowJson(text);
  if (parsed.data === undefined) {
    return {
      found: true,
      problems: parsed.problems.map((p) => ({
        ...p,
        code: 'manifest_invalid' as const,
        message: `${basename(path)}: ${p.message.replace(/; export .*$/, '')}`,
      })),
    };
  }
  return { found: true, ...parseManifest(parsed.data, basename(path)) };
}

function unreadable(message: string): WorkflowProblem {
  return { code: 'unreadable', severity: 'error', message };
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return error instanceof Error ? error.message : String(error);
}
