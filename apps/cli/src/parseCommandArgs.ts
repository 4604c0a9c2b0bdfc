import { parseArgs, type ParseArgsConfig } from 'node:util';
import { RefusedError, UsageError } from './errors.js';
import { didYouMean } from '@comfyrelay/core';

type StrictConfig = Omit<ParseArgsConfig, 'strict'> & {
  options: NonNullable<ParseArgsConfig['options']>;
};

/**
 * `node:util` parseArgs, strict, with its errors said in this command's words ("--count needs
 * a value, such as --count 4") instead of Node's hints for script authors. A value that starts
 * with a dash and a digit (`--count -1`) is the option's value, so the range check can say
 * what is wrong with it.
 */
export function parseCommandArgs<const T extends StrictConfig>(
  config: T,
): ReturnType<typeof parseArgs<T & { strict: true }>> {
  const args = joinNegativeValues(config.args ?? [], config.options);
  try {
    return parseArgs({ ...config, args, strict: true }) as ReturnType<
      typeof parseArgs<T & { strict: true }>
    >;
  } catch (error) {
    throw new UsageError(describeParseError(error, config.options));
  }
}

type Options = StrictConfig['options'];

function joinNegativeValues(args: readonly string[], options: Options): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    if (arg === '--') {
      joined.push(...args.slice(i));
      break;
    }
    const option = optionNamed(arg, options);
    if (option?.type === 'string' && next !== undefined && /^-\.?\d/.test(next)) {
      joined.push(`--${option.name}=${next}`);
      i++;
      continue;
    }
    joined.push(arg);
  }
  return joined;
}

function optionNamed(
  arg: string,
  options: Options,
): { name: string; type: 'string' | 'boolean' } | undefined {
  if (arg.startsWith('--') && !arg.includes('=')) {
    const name = arg.slice(2);
    const option = Object.hasOwn(options, name) ? options[name] : undefined;
    return option ? { name, type: option.type } : undefined;
  }
  if (/^-[a-zA-Z]$/.test(arg)) {
    const found = Object.entries(options).find(([, option]) => option.short === arg.slice(1));
    return found ? { name: found[0], type: found[1].type } : undefined;
  }
  return undefined;
}

function describeParseError(error: unknown, options: Options): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const name = (quoted.split('=')[0] ?? quoted).replace(/^-+/, '');
      const hint = didYouMean(name, Object.keys(options), (option) => `--${option}`);
      return `unknown option ${quoted}${hint ? `; ${hint}` : ''}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = /--([\w-]+)/.exec(quoted)?.[1] ?? quoted;
      if (/does not take an argument/.test(message)) return `--${name} takes no value`;
      return `--${name} needs a value${exampleOf(name)}`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${quoted}" (this command takes only options)`;
    default:
      return message;
  }
}

const EXAMPLES: Record<string, string> = {
  count: '4',
  comfy: 'http://127.0.0.1:8188',
  set: '3.steps=30',
  param: 'steps=30',
  image: 'image=photo.png',
  out: 'outputs',
  wait: '30',
  port: '8188',
  'data-dir': './data',
  config: 'comfyrelay.config.yaml',
  workflows: './workflows',
  action: 'upscale',
  host: '127.0.0.1',
  'step-delay': '20',
};

function exampleOf(name: string): string {
  const example = EXAMPLES[name];
  return example === undefined ? '' : `, such as --${name} ${example}`;
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
    throw new RefusedError(
      `--${name} must be a whole number from ${min} to ${max}, not "${value}"`,
    );
  }
  return number;
}
