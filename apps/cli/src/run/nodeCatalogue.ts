import { simulatorObjectInfo } from '@comfyrelay/comfyui-sim';
import type { ApiNode, ParameterSpec } from '@comfyrelay/core';
import type { InputSpec, NodeClassInfo, ObjectInfo } from '@comfyrelay/core/protocol';

/** The node classes a run is checked against, and whose list it is. */
export interface NodeCatalogue {
  objectInfo: ObjectInfo;
  /** `server`: read from the ComfyUI that runs it; `simulator`: the simulator that will. */
  source: 'server' | 'simulator';
}

/** What the simulator a command starts will serve: known before it is started. */
export function simulatorCatalogue(): NodeCatalogue {
  return { objectInfo: simulatorObjectInfo() as unknown as ObjectInfo, source: 'simulator' };
}

/** Loaders whose `image` input takes an uploaded picture, for when the catalogue cannot say. */
const IMAGE_LOADERS = new Set(['LoadImage', 'LoadImageMask']);

export function classOf(
  catalogue: NodeCatalogue | undefined,
  node: ApiNode,
): NodeClassInfo | undefined {
  const info = catalogue?.objectInfo[node.class_type];
  return info && typeof info === 'object' ? info : undefined;
}

/** The input's spec in the class (required or optional; hidden inputs are the server's own). */
export function inputSpecOf(info: NodeClassInfo | undefined, input: string): InputSpec | undefined {
  const required = info?.input.required;
  const optional = info?.input.optional;
  if (required && Object.hasOwn(required, input)) return required[input];
  if (optional && Object.hasOwn(optional, input)) return optional[input];
  return undefined;
}

/** Every input a value or link can be given to, in the class's order. */
export function inputNamesOf(info: NodeClassInfo | undefined): string[] {
  return [...Object.keys(info?.input.required ?? {}), ...Object.keys(info?.input.optional ?? {})];
}

/** Whether `input` of this node takes a picture upload (LoadImage's `image`). */
export function takesUpload(
  info: NodeClassInfo | undefined,
  node: ApiNode,
  input: string,
): boolean {
  const spec = inputSpecOf(info, input);
  if (spec) return spec[1]?.['image_upload'] === true;
  return input === 'image' && IMAGE_LOADERS.has(node.class_type);
}

/**
 * The parameter a widget input would be (its type and limits, as the catalogue gives them), so
 * core's coercer can read a typed value; undefined for a socket (MODEL, IMAGE …): only a link
 * feeds those.
 */
export function widgetSpec(
  name: string,
  input: string,
  spec: InputSpec,
): ParameterSpec | undefined {
  const [type, options = {}] = spec;
  const number = (key: string) =>
    typeof options[key] === 'number' ? { [key]: options[key] as number } : {};
  const bind = { node: name.slice(0, name.length - input.length - 1), input };
  if (Array.isArray(type)) return { name, type: 'choice', choices: type.map(String), bind };
  switch (type) {
    case 'INT':
      return input === 'seed' || input === 'noise_seed'
        ? { name, type: 'seed', bind }
        : { name, type: 'integer', ...number('min'), ...number('max'), bind };
    case 'FLOAT':
      return { name, type: 'number', ...number('min'), ...number('max'), bind };
    case 'BOOLEAN':
      return { name, type: 'boolean', bind };
    case 'STRING':
      return { name, type: 'string', maxLength: 1_000_000, bind };
    case 'COMBO': {
      const choices = options['options'];
      return Array.isArray(choices)
        ? { name, type: 'choice', choices: choices.map(String), bind }
        : undefined;
    }
    default:
      return undefined;
  }
}

/** "node 3 (KSampler)". */
export function nodeLabel(id: string, node: ApiNode): string {
  return `node ${id} (${node.class_type})`;
}
