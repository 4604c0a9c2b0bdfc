import { basename, dirname, join } from 'node:path';
import { detectWorkflow } from '../detect/detectWorkflow.js';
import { titleFromName } from '../detect/describeWorkflowKind.js';
import type { DetectOptions, WorkflowDetection } from '../detect/WorkflowDetection.js';
import type { WorkflowProblem } from '../detect/WorkflowProblem.js';
import { parseJson } from '../read/parseJson.js';
import { MANIFEST_KEY } from '../read/readApiWorkflow.js';
import { readApiWorkflowFile } from '../read/readApiWorkflowFile.js';
import { readTextFile } from '../read/readTextFile.js';
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
  options: Pick<DetectOptions, 'objectInfo' | 'objectInfoFrom'> = {},
): Promise<WorkflowFileReport> {
  const name = basename(file).replace(/\.json$/i, '');
  const empty = { file, detected: [], missing: [], parameters: [], outputs: [] };
  const read = await readApiWorkflowFile(file);
  if (!read.ok) return { ...empty, problems: read.problems };

  const sidecarFile = join(dirname(file), `${name}${MANIFEST_SUFFIX}`);
  const sidecar = await readManifestFile(sidecarFile);
  const embedded = read.manifest;
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
    const parsed = parseManifest(embedded, `${basename(file)} "${MANIFEST_KEY}"`);
    problems.push(...parsed.problems);
    manifest = parsed.manifest;
  }

  const id = workflowIdFromName(manifest?.id ?? name);
  const title = titleFromName(name);
  const detection = detectWorkflow(read.graph, { ...options, id, title });
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
  const read = await readTextFile(path);
  if (!read.ok) {
    if (read.notFound) return { found: false, problems: [] };
    return {
      found: true,
      problems: [
        { code: 'unreadable', severity: 'error', message: `cannot read ${path}: ${read.reason}` },
      ],
    };
  }
  const parsed = parseJson(read.text);
  if (!parsed.ok) {
    return {
      found: true,
      problems: [
        {
          code: 'manifest_invalid',
          severity: 'error',
          message: `${basename(path)}: the file is not valid JSON (${parsed.reason})`,
        },
      ],
    };
  }
  return { found: true, ...parseManifest(parsed.data, basename(path)) };
}
