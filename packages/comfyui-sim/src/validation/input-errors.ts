import type { InputOptions, InputType } from '../nodes/types.js';
import { pyFloat, pyRepr, pyStr } from './python-values.js';
import type { ValidationError } from './validation-types.js';

/** Choice lists longer than this are summarised, as ComfyUI does for long model lists. */
const MAX_LISTED_CHOICES = 20;

function formatNumber(type: InputType, n: unknown): string {
  return type === 'FLOAT' && (typeof n === 'number' || typeof n === 'bigint')
    ? pyFloat(n)
    : pyStr(n);
}

export function checkRange(
  name: string,
  type: InputType,
  options: InputOptions,
  info: unknown[],
  value: unknown,
): ValidationError | undefined {
  const { min, max } = options;
  const comparable = typeof value === 'number' || typeof value === 'boolean';
  if (!comparable) return undefined;
  const n = Number(value);
  if ((typeof min === 'number' || typeof min === 'bigint') && n < min) {
    return {
      type: 'value_smaller_than_min',
      message: `Value ${formatNumber(type, n)} smaller than min of ${formatNumber(type, min)}`,
      details: name,
      extra_info: { input_name: name, input_config: info, received_value: value },
    };
  }
  if ((typeof max === 'number' || typeof max === 'bigint') && n > max) {
    return {
      type: 'value_bigger_than_max',
      message: `Value ${formatNumber(type, n)} bigger than max of ${formatNumber(type, max)}`,
      details: name,
      extra_info: { input_name: name, input_config: info, received_value: value },
    };
  }
  return undefined;
}

export function missingInput(name: string): ValidationError {
  return {
    type: 'required_input_missing',
    message: 'Required input is missing',
    details: name,
    extra_info: { input_name: name },
  };
}

export function invalidType(
  name: string,
  type: InputType,
  info: unknown[],
  value: unknown,
  exception: string,
): ValidationError {
  return {
    type: 'invalid_input_type',
    message: `Failed to convert an input value to a ${pyStr(type)} value`,
    details: `${name}, ${pyStr(value)}, ${exception}`,
    extra_info: {
      input_name: name,
      input_config: info,
      received_value: value,
      exception_message: exception,
    },
  };
}

export function notInList(
  name: string,
  choices: readonly string[],
  info: unknown[],
  value: unknown,
): ValidationError {
  const long = choices.length > MAX_LISTED_CHOICES;
  return {
    type: 'value_not_in_list',
    message: 'Value not in list',
    details: `${name}: '${pyStr(value)}' not in ${long ? `(list of length ${choices.length})` : pyRepr(choices)}`,
    extra_info: { input_name: name, input_config: long ? null : info, received_value: value },
  };
}
