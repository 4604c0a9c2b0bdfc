import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

type StrictConfig = Omit<ParseArgsConfig, 'strict'>;

/** `node:util` parseArgs, strict, with its errors turned into usage errors. */
export function parseCommandArgs<const T extends StrictConfig>(
  config: T,
): ReturnType<typeof parseArgs<T & { strict: true }>> {
  try {
    return parseArgs({ ...config, strict: true });
  } catch (error) {
    throw new UsageError(cleanParseError(error));
  }
}

/** parseArgs messages carry Node's hints for scripts ("To specify a positional argument …"); keep the first sentence. */
function cleanParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('. To ')[0]?.replace(/\.$/, '') ?? message;
}

/** A whole number within bounds, for options such as `--count` and `--port`. */
export function parseIntegerOption(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (
    !/^\s*-?\d+\s*$/.test(value) ||
    !Number.isSafeInteger(number) ||
    number < min ||
    number > max
  ) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return number;
}
