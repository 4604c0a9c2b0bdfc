import type { ObjectInfo } from '../protocol/rest.js';
import type { ChoiceResolver } from './validateParameters.js';
import type { ObjectInfoChoices, ParameterSpec } from './WorkflowDefinition.js';

/** The choices ComfyUI lists for `classType.input` (a combo input), if it lists any. */
export function choicesIn(objectInfo: ObjectInfo, from: ObjectInfoChoices): string[] | undefined {
  const node = objectInfo[from.classType];
  const spec = node?.input?.required?.[from.input] ?? node?.input.optional?.[from.input];
  const list: unknown = spec?.[0];
  return Array.isArray(list) && list.every((item) => typeof item === 'string') ? list : undefined;
}

/** Where a parameter's live choices come from; undefined for fixed or no choices. */
export function liveSource(spec: ParameterSpec): ObjectInfoChoices | undefined {
  const choices = spec.choices;
  if (!choices || Array.isArray(choices)) return undefined;
  return choices as ObjectInfoChoices;
}

/**
 * A resolver for `validateParameters`: fixed lists as they are, live ones read from
 * `/object_info/<class>` once per class for `cacheMs`. When the server cannot say, the value is
 * not checked here (ComfyUI still validates it).
 */
export function liveChoiceResolver(
  getObjectInfo: (classType: string) => Promise<ObjectInfo>,
  { cacheMs = 60_000 }: { cacheMs?: number } = {},
): ChoiceResolver {
  const cache = new Map<string, Promise<ObjectInfo | undefined>>();
  return async (spec) => {
    if (!spec.choices) return undefined;
    if (Array.isArray(spec.choices)) return spec.choices as readonly string[];
    const from = spec.choices as ObjectInfoChoices;
    let info = cache.get(from.classType);
    if (!info) {
      info = getObjectInfo(from.classType).catch(() => {
        cache.delete(from.classType);
        return undefined;
      });
      cache.set(from.classType, info);
      setTimeout(() => cache.delete(from.classType), cacheMs).unref();
    }
    const objectInfo = await info;
    return objectInfo ? choicesIn(objectInfo, from) : undefined;
  };
}
