import { cappedSize, colourFromSeed, mixColour, solidImage } from '../image/rgb-image.js';
import { NodeFailure, type NodeDefinition, type NodeInputSpecs } from './types.js';
import type { ImageValue } from './values.js';
import { booleanInput, numberInput } from './input-values.js';
import { SEED_MAX } from './sampler-choices.js';

/** The small custom nodes the captures were recorded with (custom_nodes/harness_test_nodes). */
const PYTHON_MODULE = 'custom_nodes.harness_test_nodes';
const DEFAULT_DELAY_SECONDS = 0.2;

const progressInputs: NodeInputSpecs = {
  required: {
    seed: ['INT', { default: 0, min: 0, max: SEED_MAX }],
    steps: ['INT', { default: 5, min: 1, max: 10000 }],
  },
  optional: {
    delay: ['FLOAT', { default: 0.2, min: 0.0, max: 10.0, step: 0.01 }],
    width: ['INT', { default: 64, min: 8, max: 2048 }],
    height: ['INT', { default: 64, min: 8, max: 2048 }],
    send_preview: ['BOOLEAN', { default: false }],
  },
};

const testProgressNode: NodeDefinition = {
  classType: 'TestProgressNode',
  displayName: 'Test Progress (harness)',
  description: 'Sleeps `delay` seconds per step, reporting progress; outputs a solid-colour image.',
  category: 'harness',
  pythonModule: PYTHON_MODULE,
  outputNode: false,
  outputs: [{ type: 'IMAGE', name: 'image' }],
  inputTypes: () => progressInputs,
  async execute(inputs, ctx) {
    const seed = numberInput(inputs, 'seed', 0);
    const steps = numberInput(inputs, 'steps', 5);
    const delay = numberInput(inputs, 'delay', DEFAULT_DELAY_SECONDS);
    const nominalWidth = numberInput(inputs, 'width', 64);
    const nominalHeight = numberInput(inputs, 'height', 64);
    const [width, height] = cappedSize(nominalWidth, nominalHeight);
    const colour = colourFromSeed(seed);
    const sendPreview = booleanInput(inputs, 'send_preview', false) && ctx.previewsEnabled;
    for (let step = 1; step <= steps; step++) {
      await ctx.step(delay);
      const preview = sendPreview
        ? solidImage(
            Math.min(width, 64),
            Math.min(height, 64),
            mixColour([0, 0, 0], colour, step / steps),
          )
        : undefined;
      ctx.progress(step, steps, preview);
    }
    const image: ImageValue = {
      kind: 'IMAGE',
      images: [solidImage(width, height, colour)],
      width: nominalWidth,
      height: nominalHeight,
    };
    return { outputs: [image] };
  },
};

/** The frame Python prints for the raising line: the source text, not the interpolated values. */
const FAIL_FRAME =
  '  File "harness/base/custom_nodes/harness_test_nodes/__init__.py", line 82, in run\n' +
  '    raise RuntimeError(f"TestFailNode: deliberate failure at step {i} (seed={seed})")\n';

const testFailNode: NodeDefinition = {
  classType: 'TestFailNode',
  displayName: 'Test Fail (harness)',
  description:
    'Reports progress like TestProgressNode, then raises RuntimeError at step `fail_at`.',
  category: 'harness',
  pythonModule: PYTHON_MODULE,
  outputNode: false,
  outputs: [{ type: 'IMAGE', name: 'image' }],
  inputTypes: () => ({
    required: {
      seed: ['INT', { default: 0, min: 0, max: SEED_MAX }],
      steps: ['INT', { default: 5, min: 1, max: 10000 }],
      fail_at: ['INT', { default: 2, min: 0, max: 10000 }],
    },
    optional: {
      delay: ['FLOAT', { default: 0.2, min: 0.0, max: 10.0, step: 0.01 }],
    },
  }),
  async execute(inputs, ctx) {
    const seed = numberInput(inputs, 'seed', 0);
    const steps = numberInput(inputs, 'steps', 5);
    const failAt = numberInput(inputs, 'fail_at', 2);
    const delay = numberInput(inputs, 'delay', DEFAULT_DELAY_SECONDS);
    const fail = (step: number): never => {
      throw new NodeFailure(
        `TestFailNode: deliberate failure at step ${step} (seed=${seed})`,
        'RuntimeError',
        FAIL_FRAME,
      );
    };
    if (failAt <= 0) fail(0);
    for (let step = 1; step <= steps; step++) {
      await ctx.step(delay);
      ctx.progress(step, steps);
      if (step === failAt) fail(step);
    }
    const image: ImageValue = {
      kind: 'IMAGE',
      images: [solidImage(64, 64, colourFromSeed(seed))],
      width: 64,
      height: 64,
    };
    return { outputs: [image] };
  },
};

export const harnessNodes: readonly NodeDefinition[] = [testProgressNode, testFailNode];
