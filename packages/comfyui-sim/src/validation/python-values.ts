/**
 * Python's str()/repr() and int()/float()/bool() conversions, as far as ComfyUI's validation
 * messages show them ("invalid literal for int() with base 10: 'abc'", "['a', 'b']"…).
 */
export type Conversion = { ok: true; value: unknown } | { ok: false; error: string };

export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return reprString(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => `${reprString(k)}: ${pyRepr(v)}`,
  );
  return `{${entries.join(', ')}}`;
}

export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

export function pyNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return String(n);
}

/** How Python prints a float: always with a fractional part or exponent (10.0, 0.2). */
export function pyFloat(n: number | bigint): string {
  if (typeof n === 'bigint') return `${n}.0`;
  const text = pyNumber(n);
  return Number.isInteger(n) && !text.includes('e') ? `${text}.0` : text;
}

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\x7f')
      out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

const INT_LITERAL = /^[+-]?\d+(_\d+)*$/;
const FLOAT_LITERAL = /^[+-]?(\d+(_\d+)*(\.(\d+(_\d+)*)?)?|\.\d+(_\d+)*)([eE][+-]?\d+(_\d+)*)?$/;

export function toPyInt(value: unknown): Conversion {
  if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 };
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { ok: false, error: 'cannot convert float NaN to integer' };
    if (!Number.isFinite(value))
      return { ok: false, error: 'cannot convert float infinity to integer' };
    return { ok: true, value: Math.trunc(value) };
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (INT_LITERAL.test(text)) return { ok: true, value: Number(text.replaceAll('_', '')) };
    return { ok: false, error: `invalid literal for int() with base 10: ${reprString(value)}` };
  }
  return {
    ok: false,
    error: `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(value)}'`,
  };
}

export function toPyFloat(value: unknown): Conversion {
  if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 };
  if (typeof value === 'number') return { ok: true, value };
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    const sign = text.startsWith('-') ? -1 : 1;
    const unsigned = text.replace(/^[+-]/, '');
    if (unsigned === 'inf' || unsigned === 'infinity') return { ok: true, value: sign * Infinity };
    if (unsigned === 'nan') return { ok: true, value: NaN };
    if (FLOAT_LITERAL.test(text)) return { ok: true, value: Number(text.replaceAll('_', '')) };
    return { ok: false, error: `could not convert string to float: ${reprString(value)}` };
  }
  return {
    ok: false,
    error: `float() argument must be a string or a real number, not '${pyTypeName(value)}'`,
  };
}

export function toPyBool(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '')
    return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return !Number.isNaN(value);
}
