/**
 * Serialises the way ComfyUI does (Python's json.dumps): ", " and ": " separators, ASCII only,
 * NaN/Infinity literals, and bigint for integers JavaScript numbers cannot hold exactly
 * (e.g. the seed maximum 0xffffffffffffffff).
 */
export function pyJson(value: unknown): string {
  return encode(value) ?? 'null';
}

function encode(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return encodeString(value);
    case 'number':
      return encodeNumber(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (Array.isArray(value)) return `[${value.map((item) => encode(item) ?? 'null').join(', ')}]`;
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const encoded = encode(item);
    if (encoded !== undefined) parts.push(`${encodeString(key)}: ${encoded}`);
  }
  return `{${parts.join(', ')}}`;
}

function encodeNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return String(n);
}

function encodeString(s: string): string {
  return JSON.stringify(s).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
