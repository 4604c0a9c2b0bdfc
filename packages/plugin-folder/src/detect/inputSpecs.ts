import type { InputSpec, NodeClassInfo, ObjectInfo } from '@comfyrelay/core/protocol';

/** The class as /object_info describes it (own keys only: a class called "constructor" is just unknown). */
export function classInfo(
  objectInfo: ObjectInfo | undefined,
  classType: string,
): NodeClassInfo | undefined {
  if (!objectInfo || !Object.hasOwn(objectInfo, classType)) return undefined;
  const info = objectInfo[classType];
  return typeof info === 'object' && info !== null ? info : undefined;
}

export function inputSpecOf(
  objectInfo: ObjectInfo | undefined,
  classType: string,
  input: string,
): InputSpec | undefined {
  const info = classInfo(objectInfo, classType);
  const required = info?.input?.required;
  const optional = info?.input?.optional;
  const spec =
    (required && Object.hasOwn(required, input) ? required[input] : undefined) ??
    (optional && Object.hasOwn(optional, input) ? optional[input] : undefined);
  return Array.isArray(spec) ? spec : undefined;
}

/** The choices of a combo input (`[["euler", …], {…}]`); newer servers also write `["COMBO", {options: […]}]`. */
export function choicesOf(spec: InputSpec | undefined): string[] | undefined {
  if (!spec) return undefined;
  const [type, options] = spec;
  if (Array.isArray(type)) return type.map(String);
  const listed = options?.['options'];
  if (type === 'COMBO' && Array.isArray(listed)) return listed.map(String);
  return undefined;
}

export interface NumericRange {
  numeric: 'INT' | 'FLOAT';
  min?: number;
  max?: number;
  step?: number;
}

export function rangeOf(spec: InputSpec | undefined): NumericRange | undefined {
  if (!spec) return undefined;
  const [type, options] = spec;
  if (type !== 'INT' && type !== 'FLOAT') return undefined;
  const number = (key: string) => {
    const value = options?.[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  };
  const range: NumericRange = { numeric: type };
  const min = number('min');
  const max = number('max');
  const step = number('step');
  if (min !== undefined) range.min = min;
  if (max !== undefined) range.max = max;
  if (step !== undefined) range.step = step;
  return range;
}

/** A socket type such as "MODEL" or "IMAGE,MASK"; undefined for combos and untyped inputs. */
export function socketTypeOf(spec: InputSpec | undefined): string | undefined {
  const type = spec?.[0];
  return typeof type === 'string' && type !== 'COMBO' ? type : undefined;
}
