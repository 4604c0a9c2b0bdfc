import { objectInfo } from './object-info.js';
import type { NodeRegistry } from './registry.js';
import type { CatalogContext } from './types.js';

/** GET /object_info: every class the registry knows, as ComfyUI describes them. */
export function objectInfoAll(
  registry: NodeRegistry,
  catalog: CatalogContext,
): Record<string, Record<string, unknown>> {
  const all: Record<string, Record<string, unknown>> = {};
  for (const definition of registry.all())
    all[definition.classType] = objectInfo(definition, catalog);
  return all;
}
