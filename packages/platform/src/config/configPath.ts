/** A path into the config: keys and array indexes. */
export type ConfigPath = readonly (string | number)[];

/** `servers[1].url`, `discord.applicationId`. */
export function keyOf(path: ConfigPath): string {
  let key = '';
  for (const part of path) {
    if (typeof part === 'number') key += `[${part}]`;
    else key += key === '' ? part : `.${part}`;
  }
  return key;
}

/** Whether a path matches a pattern such as `servers.*.auth.password` (`*`: any key or index). */
export function matchesPattern(path: ConfigPath, pattern: string): boolean {
  const parts = pattern === '' ? [] : pattern.split('.');
  return (
    parts.length === path.length &&
    parts.every((part, index) => part === '*' || part === String(path[index]))
  );
}

export function valueAt(root: unknown, path: ConfigPath): unknown {
  let value = root;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}

/** Sets a value, creating plain objects on the way; a non-object on the way is replaced. */
export function setValueAt(root: Record<string, unknown>, path: ConfigPath, value: unknown): void {
  let parent: Record<string | number, unknown> = root;
  for (const part of path.slice(0, -1)) {
    const next = parent[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) parent[part] = {};
    parent = parent[part] as Record<string | number, unknown>;
  }
  parent[path[path.length - 1]!] = value;
}
