import type { InputType } from '../nodes/types.js';
import { pyStr, toPyBool, toPyFloat, toPyInt, type Conversion } from './python-values.js';
import { BAD_SLOT_FRAME } from './tracebacks.js';
import { PyException } from './validation-types.js';

/** Python tuple indexing of RETURN_TYPES, with its exceptions. */
export function pyIndex(types: string[], slot: unknown): string {
  if (typeof slot === 'boolean') slot = slot ? 1 : 0;
  if (typeof slot !== 'number' || !Number.isInteger(slot)) {
    const typeName =
      slot === null
        ? 'NoneType'
        : typeof slot === 'number'
          ? 'float'
          : typeof slot === 'string'
            ? 'str'
            : Array.isArray(slot)
              ? 'list'
              : 'dict';
    throw new PyException(
      'TypeError',
      `tuple indices must be integers or slices, not ${typeName}`,
      [BAD_SLOT_FRAME],
    );
  }
  const type = types[slot < 0 ? types.length + slot : slot];
  if (type === undefined)
    throw new PyException('IndexError', 'tuple index out of range', [BAD_SLOT_FRAME]);
  return type;
}

/** validate_node_input: equal, a "*" wildcard, or overlapping comma-separated unions. */
export function typesMatch(received: string, expected: InputType): boolean {
  if (received === expected) return true;
  if (typeof expected !== 'string') return false;
  const receivedSet = new Set(received.split(',').map((t) => t.trim()));
  const expectedSet = expected.split(',').map((t) => t.trim());
  if (receivedSet.has('*') || expectedSet.includes('*')) return true;
  return expectedSet.some((t) => receivedSet.has(t));
}

export function convertInput(type: InputType, value: unknown): Conversion {
  switch (type) {
    case 'INT':
      return toPyInt(value);
    case 'FLOAT':
      return toPyFloat(value);
    case 'STRING':
      return { ok: true, value: pyStr(value) };
    case 'BOOLEAN':
      return { ok: true, value: toPyBool(value) };
    default:
      return { ok: true, value };
  }
}
