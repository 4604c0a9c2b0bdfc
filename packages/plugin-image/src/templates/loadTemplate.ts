import { readFileSync } from 'node:fs';
import { ComfyRelayError, type ApiWorkflow } from '@comfyrelay/core';

/**
 * The shipped templates live in `<package>/workflows/`, next to `src/` and `dist/`: this file sits
 * one folder deeper in both, so the same relative URL works from sources (tests) and the build.
 */
const workflowsDir = new URL('../../workflows/', import.meta.url);
const cache = new Map<string, ApiWorkflow>();

/** An API-format template shipped with the plugin, by file name without `.json`. Each call returns a fresh copy. */
export function loadTemplate(name: string): ApiWorkflow {
  let template = cache.get(name);
  if (!template) {
    template = parseTemplate(name, readFileSync(new URL(`${name}.json`, workflowsDir), 'utf8'));
    cache.set(name, template);
  }
  return structuredClone(template);
}

function parseTemplate(name: string, text: string): ApiWorkflow {
  const graph: unknown = JSON.parse(text);
  if (typeof graph !== 'object' || graph === null || Array.isArray(graph)) {
    throw new ComfyRelayError(
      `workflows/${name}.json is not an API-format workflow (expected an object of nodes)`,
    );
  }
  for (const [id, node] of Object.entries(graph)) {
    const candidate = node as { class_type?: unknown; inputs?: unknown } | null;
    if (
      typeof candidate?.class_type !== 'string' ||
      typeof candidate.inputs !== 'object' ||
      candidate.inputs === null
    ) {
      throw new ComfyRelayError(`workflows/${name}.json: node ${id} needs a class_type and inputs`);
    }
  }
  return graph as ApiWorkflow;
}
