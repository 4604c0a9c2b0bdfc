import type { ApiObject } from '../state/api-objects.js';

/** Components as Discord echoes them: deep copies, each numbered with an `id` when it had none. */
export function normalizeComponents(components: unknown): ApiObject[] {
  if (!Array.isArray(components)) return [];
  let nextId = 1;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!node || typeof node !== 'object') return node;
    const copy: ApiObject = {};
    const source = node as ApiObject;
    if (typeof source['type'] === 'number' && source['id'] === undefined) copy['id'] = nextId++;
    for (const [key, value] of Object.entries(source)) {
      copy[key] =
        key === 'components' || key === 'accessory' || key === 'component' ? visit(value) : value;
    }
    return copy;
  };
  return components.map((component) => visit(component) as ApiObject);
}
