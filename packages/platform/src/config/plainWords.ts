import type { z } from 'zod';

/**
 * zod's issues in an operator's words. A schema's own message wins over these; they cover the
 * generic cases (a missing key, a wrong type, a number out of range, a value not among the choices).
 */
export function plainWords(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `expected ${typeName(issue.expected)}`;
    case 'too_small':
      return tooSmall(issue.origin, issue.minimum, issue.inclusive ?? true);
    case 'too_big':
      return tooBig(issue.origin, issue.maximum, issue.inclusive ?? true);
    case 'invalid_value':
      return `expected ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_union':
      return 'does not match any of the accepted forms';
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return undefined;
  }
}

function typeName(expected: string): string {
  switch (expected) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return 'keys and values (an object)';
    default:
      return expected;
  }
}

function tooSmall(origin: string, minimum: unknown, inclusive: boolean): string {
  const bound = Number(minimum);
  if (origin === 'string')
    return bound <= 1 ? 'must not be empty' : `must be at least ${bound} characters`;
  if (origin === 'array')
    return bound <= 1 ? 'must list at least one' : `must list at least ${bound}`;
  return inclusive ? `must be at least ${bound}` : `must be more than ${bound}`;
}

function tooBig(origin: string, maximum: unknown, inclusive: boolean): string {
  const bound = Number(maximum);
  if (origin === 'string') return `must be at most ${bound} characters`;
  if (origin === 'array') return `must list at most ${bound}`;
  return inclusive ? `must be at most ${bound}` : `must be less than ${bound}`;
}
