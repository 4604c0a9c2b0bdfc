import type { ApiObject } from '../state/api-objects.js';

const ACTION_ROW = 1;
const TEXT_INPUT = 4;
const LABEL = 18;

/**
 * The `data.components` of a modal submit: the modal's layout with each input's value filled
 * in. Classic modals have action rows of text inputs; newer ones have labels around inputs.
 */
export function modalSubmitComponents(
  layout: ApiObject[],
  fields: Record<string, string>,
): ApiObject[] {
  const known = new Set<string>();
  const submitted = (input: ApiObject): ApiObject => {
    const customId = String(input['custom_id']);
    known.add(customId);
    const value = fields[customId];
    if (value === undefined && input['required'] !== false && input['type'] === TEXT_INPUT) {
      throw new Error(`fake Discord: the modal's text input '${customId}' is required`);
    }
    const base = {
      type: input['type'],
      ...(input['id'] !== undefined ? { id: input['id'] } : {}),
      custom_id: customId,
    };
    return input['type'] === TEXT_INPUT
      ? { ...base, value: value ?? '' }
      : { ...base, values: value === undefined ? [] : [value] };
  };
  const components = layout.map((component): ApiObject => {
    const id = component['id'] !== undefined ? { id: component['id'] } : {};
    if (component['type'] === ACTION_ROW) {
      const inputs = (component['components'] as ApiObject[] | undefined) ?? [];
      return { type: ACTION_ROW, ...id, components: inputs.map(submitted) };
    }
    if (component['type'] === LABEL) {
      return { type: LABEL, ...id, component: submitted(component['component'] as ApiObject) };
    }
    return { type: component['type'], ...id };
  });
  for (const customId of Object.keys(fields)) {
    if (!known.has(customId)) throw new Error(`fake Discord: the modal has no input '${customId}'`);
  }
  return components;
}

/** A layout for a modal the test describes only by its field ids. */
export function plainModalLayout(fields: Record<string, string>): ApiObject[] {
  return Object.keys(fields).map((customId) => ({
    type: ACTION_ROW,
    components: [{ type: TEXT_INPUT, custom_id: customId }],
  }));
}
