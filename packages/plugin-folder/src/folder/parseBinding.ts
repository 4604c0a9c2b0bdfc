import type { ParameterBinding } from '@comfyrelay/core';

/**
 * `"6.text"` (split at the last dot: node ids such as "12:3" may hold anything but the input
 * name has no dot), `{ "node": "6", "input": "text" }`, or a list of either. Undefined if malformed.
 */
export function parseBinding(value: unknown): ParameterBinding[] | undefined {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) return undefined;
  const bindings: ParameterBinding[] = [];
  for (const item of list) {
    if (typeof item === 'string') {
      const dot = item.lastIndexOf('.');
      if (dot <= 0 || dot === item.length - 1) return undefined;
      bindings.push({ node: item.slice(0, dot), input: item.slice(dot + 1) });
    } else if (
      typeof item === 'object' &&
      item !== null &&
      typeof (item as ParameterBinding).node === 'string' &&
      typeof (item as ParameterBinding).input === 'string'
    ) {
      bindings.push({
        node: (item as ParameterBinding).node,
        input: (item as ParameterBinding).input,
      });
    } else {
      return undefined;
    }
  }
  return bindings;
}
