import { readFileSync } from 'node:fs';
import { ComfyRelayError } from '../errors.js';
import type { ApiWorkflow } from '../protocol/graph.js';

/**
 * A loader for the API-format templates a plugin ships in a folder (`name` → `<dir>/<name>.json`).
 * Each file is read and checked once; every call returns a fresh copy to render into.
 */
export function createTemplateLoader(dir: URL): (name: string) => ApiWorkflow {
  const cache = new Map<string, ApiWorkflow>();
  return (name) => {
    let template = cache.get(name);
    if (!template) {
      template = parseTemplate(name, readFileSync(new URL(`${name}.json`, dir), 'utf8'));
      cache.set(name, template);
    }
    return structuredClone(template);
  };
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
