import type { CatalogContext, NodeDefinition } from './types.js';

/** One class as GET /object_info describes it. */
export function objectInfo(
  definition: NodeDefinition,
  catalog: CatalogContext,
): Record<string, unknown> {
  const input = definition.inputTypes(catalog);
  const inputOrder: Record<string, string[]> = { required: Object.keys(input.required) };
  if (input.optional) inputOrder['optional'] = Object.keys(input.optional);
  if (input.hidden) inputOrder['hidden'] = Object.keys(input.hidden);
  return {
    input,
    input_order: inputOrder,
    output: definition.outputs.map((slot) => slot.type),
    output_is_list: definition.outputs.map(() => false),
    output_name: definition.outputs.map((slot) => slot.name),
    name: definition.classType,
    display_name: definition.displayName,
    description: definition.description,
    python_module: definition.pythonModule,
    category: definition.category,
    output_node: definition.outputNode,
  };
}
