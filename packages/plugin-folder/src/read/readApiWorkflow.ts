import type { ApiWorkflow } from '@comfyrelay/core';
import type { WorkflowProblem } from '../detect/WorkflowProblem.js';
import { isObject } from './isObject.js';
import type { ReadApiWorkflowOptions, ReadApiWorkflowResult } from './ReadApiWorkflowResult.js';

/** Top-level key of an embedded manifest: not a node (see README.md). */
export const MANIFEST_KEY = 'comfyrelay';

/**
 * Accepts what an operator may hand us: an API export (`{"3": {class_type, inputs}, …}`), the
 * same inside a `{"prompt": …}` wrapper (a saved POST body), with or without an embedded
 * manifest under `comfyrelay`. A UI-format save, or anything else, is explained, never thrown.
 */
export function readApiWorkflow(
  data: unknown,
  options: ReadApiWorkflowOptions = {},
): ReadApiWorkflowResult {
  const name = options.name;
  const fail = (code: WorkflowProblem['code'], message: string): ReadApiWorkflowResult => ({
    ok: false,
    problems: [{ code, severity: 'error', message }],
  });
  if (!isObject(data)) {
    return fail(
      'not_api_format',
      `${name ?? 'the file'} does not hold a workflow (expected a JSON object of nodes, as "Export (API)" writes it)`,
    );
  }
  const nodes = isObject(data['prompt']) ? data['prompt'] : data;
  if (Array.isArray(nodes['nodes']) && Array.isArray(nodes['links'])) {
    return fail(
      'ui_format',
      `${name ?? 'this'} is the UI format (a saved workflow with "nodes" and "links" lists); in ComfyUI use Workflow → Export (API) and use that file`,
    );
  }
  const problems: WorkflowProblem[] = [];
  const graph: ApiWorkflow = {};
  for (const [id, node] of Object.entries(nodes)) {
    if (id === MANIFEST_KEY && nodes === data) continue;
    if (!isObject(node) || typeof node['class_type'] !== 'string' || !isObject(node['inputs'])) {
      problems.push({
        code: 'not_api_format',
        severity: 'error',
        node: id,
        message: `${name ? `${name}: ` : ''}node ${id} is not an API-format node (it needs "class_type" and "inputs"); export the workflow with "Export (API)"`,
      });
      continue;
    }
    graph[id] = node as unknown as ApiWorkflow[string];
  }
  if (problems.length > 0) return { ok: false, problems };
  if (Object.keys(graph).length === 0)
    return fail('empty', `${name ?? 'the workflow'} holds no nodes`);
  const manifest = data[MANIFEST_KEY];
  return { ok: true, graph, ...(manifest !== undefined ? { manifest } : {}) };
}
