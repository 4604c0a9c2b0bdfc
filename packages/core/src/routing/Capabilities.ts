import type { ObjectInfo } from '../protocol/rest.js';

/** What one ComfyUI server can run, read from its `/object_info`. */
export interface BackendCapabilities {
  /** Every node class the server knows. */
  readonly nodeClasses: ReadonlySet<string>;
  /**
   * The choices of every combo input, by class then input: checkpoints, LoRAs, VAEs, upscale
   * models, samplers… Inputs that list the server's uploaded files (`image_upload`, …) or load
   * their list on demand (`remote`) are left out: a job brings those files along, or the list is
   * not known here, so a server neither has nor lacks their values.
   */
  readonly choices: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
}

/** Reads a server's capabilities from its `/object_info`. O(size of the catalogue). */
export function capabilitiesOf(objectInfo: ObjectInfo): BackendCapabilities {
  const nodeClasses = new Set<string>();
  const choices = new Map<string, Map<string, Set<string>>>();
  for (const [classType, info] of Object.entries(objectInfo)) {
    nodeClasses.add(classType);
    // Read defensively: this is whatever the server (and its custom nodes) sent.
    const input: unknown = info?.input;
    if (!isRecord(input)) continue;
    const combos = new Map<string, Set<string>>();
    for (const group of [input['required'], input['optional']]) {
      if (!isRecord(group)) continue;
      for (const [name, spec] of Object.entries(group)) {
        const list = comboChoices(spec);
        if (list) combos.set(name, new Set(list));
      }
    }
    if (combos.size > 0) choices.set(classType, combos);
  }
  return { nodeClasses, choices };
}

/** The choices a server offers for `classType.input`; undefined when that is not a combo there. */
export function choicesOf(
  capabilities: BackendCapabilities,
  classType: string,
  input: string,
): ReadonlySet<string> | undefined {
  return capabilities.choices.get(classType)?.get(input);
}

/**
 * The choices of a checkable combo input spec, in either spelling: `[choices, options?]`, or
 * `['COMBO', { options: choices }]` as newer ComfyUI writes it. Undefined for any other input.
 */
export function comboChoices(spec: unknown): string[] | undefined {
  if (!Array.isArray(spec)) return undefined;
  const [type, options]: unknown[] = spec;
  const settings = isRecord(options) ? options : {};
  if (listsOpenValues(settings)) return undefined;
  const list = Array.isArray(type) ? type : type === 'COMBO' ? settings['options'] : undefined;
  if (!Array.isArray(list)) return undefined;
  return list.filter((choice): choice is string => typeof choice === 'string');
}

function listsOpenValues(settings: Record<string, unknown>): boolean {
  return (
    Boolean(settings['remote']) ||
    Object.entries(settings).some(([key, value]) => key.endsWith('_upload') && Boolean(value))
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
