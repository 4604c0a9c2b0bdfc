/**
 * Real ComfyUI 0.8.0 messages, frames and answers (PROTOCOL.md, captures/), the material the
 * fuzzer mutates. Every function takes the prompt id to speak of.
 */

export const NODE_SAMPLER = '3';
export const NODE_SAVE = '9';

/** The `/ws` JSON messages of one prompt, in the order ComfyUI sends them (and the others). */
export function realMessages(promptId: string, timestamp = 1_795_311_219_587): unknown[] {
  return [
    { type: 'status', data: { status: { exec_info: { queue_remaining: 0 } }, sid: 'client-1' } },
    {
      type: 'feature_flags',
      data: { supports_preview_metadata: true, max_upload_size: 104857600, extension: {} },
    },
    { type: 'status', data: { status: { exec_info: { queue_remaining: 1 } } } },
    { type: 'execution_start', data: { prompt_id: promptId, timestamp } },
    { type: 'execution_cached', data: { nodes: ['4', '6'], prompt_id: promptId, timestamp } },
    {
      type: 'executing',
      data: { node: NODE_SAMPLER, display_node: NODE_SAMPLER, prompt_id: promptId },
    },
    { type: 'executing', data: { node: NODE_SAMPLER } },
    { type: 'progress', data: { value: 3, max: 20, prompt_id: promptId, node: NODE_SAMPLER } },
    { type: 'progress', data: { value: 4, max: 20 } },
    {
      type: 'progress_state',
      data: {
        prompt_id: promptId,
        nodes: {
          [NODE_SAMPLER]: {
            value: 3,
            max: 20,
            state: 'running',
            node_id: NODE_SAMPLER,
            prompt_id: promptId,
            display_node_id: NODE_SAMPLER,
            parent_node_id: null,
            real_node_id: NODE_SAMPLER,
          },
        },
      },
    },
    {
      type: 'executed',
      data: {
        node: NODE_SAVE,
        display_node: NODE_SAVE,
        output: { images: [{ filename: 'ComfyUI_00001_.png', subfolder: '', type: 'output' }] },
        prompt_id: promptId,
      },
    },
    { type: 'execution_success', data: { prompt_id: promptId, timestamp } },
    {
      type: 'execution_error',
      data: {
        prompt_id: promptId,
        node_id: NODE_SAMPLER,
        node_type: 'KSampler',
        executed: ['4'],
        exception_message: 'CUDA out of memory',
        exception_type: 'torch.OutOfMemoryError',
        traceback: ['  File "execution.py", line 518, in execute\n'],
        current_inputs: {},
        current_outputs: {},
        timestamp,
      },
    },
    {
      type: 'execution_interrupted',
      data: {
        prompt_id: promptId,
        node_id: NODE_SAMPLER,
        node_type: 'KSampler',
        executed: ['4'],
        timestamp,
      },
    },
    { type: 'executing', data: { node: null, prompt_id: promptId } },
  ];
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0xff, 0xd9]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]);

/** Binary frames: event 1 (JPEG preview), event 4 (preview with metadata), event 3 (text). */
export function realBinaryFrames(promptId: string): Buffer[] {
  const meta = Buffer.from(
    JSON.stringify({
      node_id: NODE_SAMPLER,
      display_node_id: NODE_SAMPLER,
      parent_node_id: null,
      real_node_id: NODE_SAMPLER,
      prompt_id: promptId,
      image_type: 'image/png',
    }),
  );
  const node = Buffer.from(NODE_SAMPLER);
  return [
    Buffer.concat([u32(1), u32(1), JPEG]),
    Buffer.concat([u32(4), u32(meta.length), meta, PNG]),
    Buffer.concat([u32(3), u32(node.length), node, Buffer.from('Loading model… 40%')]),
  ];
}

export function binaryFrame(event: number, length: number, rest: Buffer): Buffer {
  return Buffer.concat([u32(event), u32(length), rest]);
}

/** A `/history/{id}` answer for a prompt that succeeded. */
export function successHistory(promptId: string): Record<string, unknown> {
  return {
    [promptId]: {
      prompt: [0, promptId, {}, { client_id: 'x' }, [NODE_SAVE]],
      outputs: {
        [NODE_SAVE]: {
          images: [{ filename: 'ComfyUI_00001_.png', subfolder: '', type: 'output' }],
        },
      },
      status: {
        status_str: 'success',
        completed: true,
        messages: [
          ['execution_start', { prompt_id: promptId, timestamp: 1 }],
          ['execution_cached', { nodes: [], prompt_id: promptId, timestamp: 2 }],
          ['execution_success', { prompt_id: promptId, timestamp: 3 }],
        ],
      },
      meta: { [NODE_SAVE]: { node_id: NODE_SAVE, display_node: NODE_SAVE } },
    },
  };
}

/** A `/history/{id}` answer for a prompt that failed. */
export function errorHistory(promptId: string): Record<string, unknown> {
  return {
    [promptId]: {
      prompt: [0, promptId, {}, {}, [NODE_SAVE]],
      outputs: {},
      status: {
        status_str: 'error',
        completed: false,
        messages: [
          ['execution_start', { prompt_id: promptId, timestamp: 1 }],
          [
            'execution_error',
            {
              prompt_id: promptId,
              node_id: NODE_SAMPLER,
              node_type: 'KSampler',
              exception_message: 'CUDA out of memory',
              exception_type: 'torch.OutOfMemoryError',
              traceback: [],
              executed: [],
            },
          ],
        ],
      },
      meta: {},
    },
  };
}

/** A `/history/{id}` answer for a prompt that was interrupted. */
export function interruptedHistory(promptId: string): Record<string, unknown> {
  return {
    [promptId]: {
      prompt: [0, promptId, {}, {}, [NODE_SAVE]],
      outputs: {},
      status: {
        status_str: 'error',
        completed: false,
        messages: [
          [
            'execution_interrupted',
            { prompt_id: promptId, node_id: NODE_SAMPLER, node_type: 'KSampler', executed: [] },
          ],
        ],
      },
    },
  };
}

/** A `/queue` answer: one running, two pending (a heap: not sorted). */
export function queueAnswer(running: string, pending: string[]): Record<string, unknown> {
  const item = (n: number, id: string) => [
    n,
    id,
    { '1': { class_type: 'X', inputs: {} } },
    { client_id: 'x' },
    ['9'],
  ];
  return {
    queue_running: [item(0, running)],
    queue_pending: pending.map((id, i) => item(pending.length - i, id)),
  };
}

export const objectInfoAnswer = {
  CheckpointLoaderSimple: {
    input: {
      required: { ckpt_name: [['v1-5-pruned-emaonly.safetensors', 'sdxl.safetensors'], {}] },
    },
    input_order: { required: ['ckpt_name'] },
    output: ['MODEL', 'CLIP', 'VAE'],
    output_name: ['MODEL', 'CLIP', 'VAE'],
    name: 'CheckpointLoaderSimple',
    display_name: 'Load Checkpoint',
    category: 'loaders',
    output_node: false,
  },
  KSampler: {
    input: {
      required: {
        seed: ['INT', { default: 0, min: 0, max: 2 ** 64 - 1 }],
        steps: ['INT', { default: 20, min: 1, max: 10000 }],
        sampler_name: [['euler', 'dpmpp_2m'], {}],
      },
    },
    output: ['LATENT'],
    name: 'KSampler',
  },
};

/** Python's `json.dumps` spelling (`", "` and `": "`), as ComfyUI writes its frames. */
export function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`)
      .join(', ')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** A 400 answer to `POST /prompt` (captures/errors.log). */
export const refusalAnswer = {
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
        {
          type: 'invalid_input_type',
          message: 'Failed to convert an input value to a INT value',
          details: "seed, abc, invalid literal for int() with base 10: 'abc'",
          extra_info: { input_name: 'seed', input_config: ['INT', {}], received_value: 'abc' },
        },
      ],
      dependent_outputs: ['2'],
      class_type: 'TestProgressNode',
    },
  },
};
