import { describe, expect, it } from 'vitest';
import { PromptValidationError } from '../src/http/PromptValidationError.js';
import type { PromptErrorBody } from '../src/protocol/rest.js';

// Bodies as the real ComfyUI 0.8.0 sent them (shared/comfyui/captures/errors.log).
const tooBig: PromptErrorBody = {
  error: {
    type: 'prompt_outputs_failed_validation',
    message: 'Prompt outputs failed validation',
    details: '',
    extra_info: {},
  },
  node_errors: {
    '1': {
      errors: [
        {
          type: 'value_bigger_than_max',
          message: 'Value 999999 bigger than max of 10000',
          details: 'steps',
          extra_info: {
            input_name: 'steps',
            input_config: ['INT', { default: 5, min: 1, max: 10000 }],
            received_value: 999999,
          },
        },
      ],
      dependent_outputs: ['2'],
      class_type: 'TestProgressNode',
    },
  },
};

describe('PromptValidationError', () => {
  it('names the node, the input and the reason in plain words', () => {
    const error = new PromptValidationError(tooBig);
    expect(error.message).toBe(
      'ComfyUI refused the workflow: node 1 (TestProgressNode) input "steps": 999999 is bigger than the maximum 10000',
    );
    expect(error.issues[0]).toMatchObject({
      nodeId: '1',
      input: 'steps',
      type: 'value_bigger_than_max',
    });
  });

  it('explains a missing input and a wrong type', () => {
    const error = new PromptValidationError({
      error: {
        type: 'prompt_outputs_failed_validation',
        message: 'Prompt outputs failed validation',
        details: '',
      },
      node_errors: {
        '1': {
          errors: [
            {
              type: 'required_input_missing',
              message: 'Required input is missing',
              details: 'seed',
              extra_info: { input_name: 'seed' },
            },
            {
              type: 'invalid_input_type',
              message: 'Failed to convert an input value to a INT value',
              details: "seed, abc, invalid literal for int() with base 10: 'abc'",
              extra_info: { input_name: 'steps', input_config: ['INT', {}], received_value: 'abc' },
            },
          ],
          dependent_outputs: ['2'],
          class_type: 'KSampler',
        },
      },
    });
    expect(error.message).toContain('node 1 (KSampler) input "seed": a required input is missing');
    expect(error.message).toContain('node 1 (KSampler) input "steps": "abc" is not a valid INT');
  });

  it('uses the top-level error when no node is at fault', () => {
    const error = new PromptValidationError({
      error: {
        type: 'invalid_prompt',
        message: 'Cannot execute because node NoSuchNode does not exist.',
        details: "Node ID '#1'",
      },
      node_errors: {},
    });
    expect(error.message).toBe(
      "ComfyUI refused the workflow: Cannot execute because node NoSuchNode does not exist. (Node ID '#1')",
    );
  });
});
