import type { FieldError } from '../http/api-error.js';

const CHAT_INPUT = 1;
const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;
const NAME_PATTERN = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

type Json = Record<string, unknown>;

/** The checks Discord applies to application command definitions that bots most often trip. */
export function validateCommand(command: unknown, path: string): FieldError[] {
  if (!isObject(command))
    return [
      { path, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' },
    ];
  const errors: FieldError[] = [];
  const type = typeof command['type'] === 'number' ? command['type'] : CHAT_INPUT;
  const at = (field: string): string => (path === '' ? field : `${path}.${field}`);
  if (type === CHAT_INPUT) {
    errors.push(...validateName(command['name'], at('name')));
    errors.push(...validateDescription(command['description'], at('description')));
    errors.push(...validateOptions(command['options'], at('options'), 0));
  } else {
    const name = command['name'];
    if (typeof name !== 'string' || name.length < 1 || name.length > 32) {
      errors.push(lengthError(at('name'), 1, 32));
    }
    if (command['description'] !== undefined && command['description'] !== '') {
      errors.push({
        path: at('description'),
        code: 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION_INVALID',
        message: 'Context menu commands cannot have description',
      });
    }
  }
  return errors;
}

/** A bulk overwrite: each command, then names unique per command type, at most 100 slash commands. */
export function validateCommandList(commands: unknown): FieldError[] {
  if (!Array.isArray(commands)) {
    return [
      { path: '', code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' },
    ];
  }
  const errors = commands.flatMap((command, index) => validateCommand(command, String(index)));
  const seen = new Set<string>();
  for (const command of commands) {
    if (!isObject(command)) continue;
    const key = `${String(command['type'] ?? CHAT_INPUT)}:${String(command['name'])}`;
    if (seen.has(key)) {
      errors.push({
        path: '',
        code: 'APPLICATION_COMMANDS_DUPLICATE_NAME',
        message: `Application command names must be unique`,
      });
      break;
    }
    seen.add(key);
  }
  const slashCount = commands.filter(
    (c) => isObject(c) && (c['type'] ?? CHAT_INPUT) === CHAT_INPUT,
  ).length;
  if (slashCount > 100) {
    errors.push({
      path: '',
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 100 or fewer in length.',
    });
  }
  return errors;
}

function validateOptions(options: unknown, path: string, depth: number): FieldError[] {
  if (options === undefined || options === null) return [];
  if (!Array.isArray(options)) {
    return [
      { path, code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' },
    ];
  }
  const errors: FieldError[] = [];
  if (options.length > 25)
    errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  let sawOptional = false;
  const names = new Set<string>();
  for (const [index, option] of options.entries()) {
    const at = `${path}.${index}`;
    if (!isObject(option)) {
      errors.push({
        path: at,
        code: 'DICT_TYPE_CONVERT',
        message: 'Only dictionaries may be used in a DictType',
      });
      continue;
    }
    const type = option['type'];
    if (typeof type !== 'number' || type < 1 || type > 11) {
      errors.push({
        path: `${at}.type`,
        code: 'BASE_TYPE_CHOICES',
        message: 'Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.',
      });
    }
    errors.push(...validateName(option['name'], `${at}.name`));
    errors.push(...validateDescription(option['description'], `${at}.description`));
    const name = String(option['name']);
    if (names.has(name)) {
      errors.push({
        path: `${at}.name`,
        code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
        message: 'Option names must be unique',
      });
    }
    names.add(name);
    if (option['required'] === true && sawOptional) {
      errors.push({
        path: at,
        code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        message: 'Required options must be placed before non-required options',
      });
    }
    if (option['required'] !== true) sawOptional = true;
    const choices = option['choices'];
    if (Array.isArray(choices) && choices.length > 25) {
      errors.push({
        path: `${at}.choices`,
        code: 'BASE_TYPE_MAX_LENGTH',
        message: 'Must be 25 or fewer in length.',
      });
    }
    if (option['autocomplete'] === true && Array.isArray(choices) && choices.length > 0) {
      errors.push({
        path: `${at}.autocomplete`,
        code: 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID',
        message: 'Autocomplete cannot be set with choices',
      });
    }
    if ((type === SUB_COMMAND || type === SUB_COMMAND_GROUP) && depth < 2) {
      errors.push(...validateOptions(option['options'], `${at}.options`, depth + 1));
    }
  }
  return errors;
}

function validateName(name: unknown, path: string): FieldError[] {
  if (typeof name !== 'string' || name.length < 1 || name.length > 32)
    return [lengthError(path, 1, 32)];
  if (!NAME_PATTERN.test(name) || name !== name.toLowerCase()) {
    return [{ path, code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' }];
  }
  return [];
}

function validateDescription(description: unknown, path: string): FieldError[] {
  if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
    return [lengthError(path, 1, 100)];
  }
  return [];
}

function lengthError(path: string, min: number, max: number): FieldError {
  return {
    path,
    code: 'BASE_TYPE_BAD_LENGTH',
    message: `Must be between ${min} and ${max} in length.`,
  };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
