import type { ApiWorkflow } from '@comfyrelay/core';
import {
  readApiWorkflowFile,
  readApiWorkflowText,
  type ReadApiWorkflowResult,
} from '@comfyrelay/plugin-folder';
import { RefusedError } from './errors.js';

/** Read an API-format workflow ("Export (API)"), bare or inside a `{ "prompt": … }` wrapper. */
export async function loadWorkflowFile(path: string): Promise<ApiWorkflow> {
  const read = await readApiWorkflowFile(path, { name: path });
  if (!read.ok && read.notFound) throw new RefusedError(`workflow file not found: ${path}`);
  return graphOrRefusal(read);
}

export function parseWorkflow(text: string, source: string): ApiWorkflow {
  return graphOrRefusal(readApiWorkflowText(text, { name: source }));
}

function graphOrRefusal(read: ReadApiWorkflowResult): ApiWorkflow {
  if (read.ok) return read.graph;
  const [first, ...more] = read.problems.map((problem) => problem.message);
  throw new RefusedError(
    more.length === 0 ? (first ?? 'not a workflow') : [first, ...more].join('\n  '),
  );
}
