import { matchesPattern, type ConfigPath } from './configPath.js';

/** What a secret that is set looks like in printed config. */
export const MASK = '•••• (set)';

/** What a secret nobody set looks like when the config made one up (from another secret). */
export const DERIVED_MASK = '•••• (not set: derived)';

/**
 * A copy with every value at a secret path replaced by {@link MASK} (and passwords in URLs
 * hidden). Given what the operator wrote (the file and environment, as text), a secret text
 * found nowhere in it, as written or URL-encoded, was derived by the config (from another
 * secret): {@link DERIVED_MASK}.
 */
export function maskSecrets(
  value: Record<string, unknown>,
  patterns: readonly string[],
  written?: string,
): Record<string, unknown> {
  return mask(value, [], patterns, written) as Record<string, unknown>;
}

function mask(
  value: unknown,
  path: ConfigPath,
  patterns: readonly string[],
  written: string | undefined,
): unknown {
  if (value !== undefined && patterns.some((pattern) => matchesPattern(path, pattern)))
    return typeof value === 'string' && written !== undefined && !isIn(written, value)
      ? DERIVED_MASK
      : MASK;
  if (Array.isArray(value))
    return value.map((item, index) => mask(item, [...path, index], patterns, written));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        mask(item, [...path, key], patterns, written),
      ]),
    );
  }
  if (typeof value === 'string') return hidePasswordInUrl(value);
  return value;
}

function isIn(written: string, secret: string): boolean {
  return (
    written.includes(JSON.stringify(secret).slice(1, -1)) ||
    written.includes(encodeURIComponent(secret))
  );
}

function hidePasswordInUrl(text: string): string {
  return text.replace(/^(https?:\/\/[^/:@\s]+:)[^/@\s]+@/i, '$1••••@');
}

/** The values at secret paths (for a logger to hide), plus passwords found in URLs. */
export function secretValuesOf(value: unknown, patterns: readonly string[]): string[] {
  const found: string[] = [];
  const visit = (item: unknown, path: ConfigPath): void => {
    if (typeof item === 'string') {
      if (patterns.some((pattern) => matchesPattern(path, pattern))) found.push(item);
      return;
    }
    if (Array.isArray(item)) item.forEach((child, index) => visit(child, [...path, index]));
    else if (item !== null && typeof item === 'object')
      for (const [key, child] of Object.entries(item)) visit(child, [...path, key]);
  };
  visit(value, []);
  return found;
}
