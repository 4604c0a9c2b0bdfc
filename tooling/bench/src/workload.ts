import type { ApiWorkflow } from '@comfyrelay/core';
import type { ComfyMessage } from '@comfyrelay/core/protocol';

/**
 * The workload every benchmark drives: a plain txt2img graph whose loaders and prompts are
 * cached (a second run of the same model, as most of a bot's traffic is), a KSampler of
 * {@link STEPS} steps, then VAEDecode and SaveImage. Message shapes follow ComfyUI 0.8.0
 * (shared/comfyui/captures/concurrent.log).
 */
export const STEPS = 8;
export const SAMPLER_NODE = '3';
export const OUTPUT_NODE = '9';
const CHECKPOINT = 'v1-5-pruned-emaonly.safetensors';
const CACHED_NODES = ['4', '5', '6', '7'];

/** Messages per prompt without `status`; one more with the per-completion `status`. */
export const MESSAGES_PER_PROMPT = 26;

/**
 * `progress_state` messages per prompt. ComfyConnection recognises them by their first bytes and
 * drops them unparsed (nothing reads them), so its listeners see this many fewer messages; the
 * stream still carried them, and msg/s counts the whole stream.
 */
export const SKIPPED_PER_PROMPT = 10;

/** What comfyrelay's listeners are handed per prompt (the stream less the skipped messages). */
export function deliveredPerPrompt(withStatus: boolean): number {
  return messagesPerPrompt(withStatus) - SKIPPED_PER_PROMPT;
}

export function messagesPerPrompt(withStatus: boolean): number {
  return MESSAGES_PER_PROMPT + (withStatus ? 1 : 0);
}

export function txt2imgGraph(seed: number): ApiWorkflow {
  return {
    '3': {
      class_type: 'KSampler',
      inputs: {
        seed,
        steps: STEPS,
        cfg: 7,
        sampler_name: 'euler',
        scheduler: 'normal',
        denoise: 1,
        model: ['4', 0],
        positive: ['6', 0],
        negative: ['7', 0],
        latent_image: ['5', 0],
      },
    },
    '4': {
      class_type: 'CheckpointLoaderSimple',
      inputs: { ckpt_name: CHECKPOINT },
    },
    '5': { class_type: 'EmptyLatentImage', inputs: { width: 512, height: 512, batch_size: 1 } },
    '6': {
      class_type: 'CLIPTextEncode',
      inputs: { text: 'a lighthouse on a cliff at dawn, film grain', clip: ['4', 1] },
    },
    '7': {
      class_type: 'CLIPTextEncode',
      inputs: { text: 'blurry, text, watermark', clip: ['4', 1] },
    },
    '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
    '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'bench', images: ['8', 0] } },
  };
}

/** The fake's `/object_info`: the workload's node classes, with the combos a server checks. */
export function objectInfo(): Record<string, { input: { required: Record<string, unknown> } }> {
  const plain = { input: { required: {} } };
  return {
    KSampler: { input: { required: { sampler_name: [['euler']], scheduler: [['normal']] } } },
    CheckpointLoaderSimple: { input: { required: { ckpt_name: [[CHECKPOINT]] } } },
    EmptyLatentImage: plain,
    CLIPTextEncode: plain,
    VAEDecode: plain,
    SaveImage: plain,
  };
}

export function outputFileName(promptId: string): string {
  return `bench_${promptId.slice(0, 8)}_00001_.png`;
}

function nodeState(promptId: string, node: string, value: number, max: number, state: string) {
  return {
    value,
    max,
    state,
    node_id: node,
    prompt_id: promptId,
    display_node_id: node,
    parent_node_id: null,
    real_node_id: node,
  };
}

/**
 * One prompt's messages in the order ComfyUI sends them. `statusAt` is where the
 * per-completion `status` goes (between execution_success and `executing null`); the caller
 * inserts it, since its queue_remaining is only known when the prompt completes.
 */
export function promptMessages(
  promptId: string,
  timestamp = Date.now(),
): { head: ComfyMessage[]; tail: ComfyMessage[] } {
  const head: ComfyMessage[] = [
    { type: 'execution_start', data: { prompt_id: promptId, timestamp } },
    { type: 'execution_cached', data: { nodes: CACHED_NODES, prompt_id: promptId, timestamp } },
    {
      type: 'executing',
      data: { node: SAMPLER_NODE, display_node: SAMPLER_NODE, prompt_id: promptId },
    },
  ];
  for (let step = 1; step <= STEPS; step++) {
    head.push({
      type: 'progress_state',
      data: {
        prompt_id: promptId,
        nodes: { [SAMPLER_NODE]: nodeState(promptId, SAMPLER_NODE, step, STEPS, 'running') },
      },
    });
    head.push({
      type: 'progress',
      data: { value: step, max: STEPS, prompt_id: promptId, node: SAMPLER_NODE },
    });
  }
  head.push(
    {
      type: 'progress_state',
      data: {
        prompt_id: promptId,
        nodes: {
          [SAMPLER_NODE]: nodeState(promptId, SAMPLER_NODE, STEPS, STEPS, 'finished'),
          '8': nodeState(promptId, '8', 0, 1, 'running'),
        },
      },
    },
    { type: 'executing', data: { node: '8', display_node: '8', prompt_id: promptId } },
    {
      type: 'progress_state',
      data: {
        prompt_id: promptId,
        nodes: {
          [SAMPLER_NODE]: nodeState(promptId, SAMPLER_NODE, STEPS, STEPS, 'finished'),
          '8': nodeState(promptId, '8', 1, 1, 'finished'),
          [OUTPUT_NODE]: nodeState(promptId, OUTPUT_NODE, 0, 1, 'running'),
        },
      },
    },
    {
      type: 'executing',
      data: { node: OUTPUT_NODE, display_node: OUTPUT_NODE, prompt_id: promptId },
    },
    {
      type: 'executed',
      data: {
        node: OUTPUT_NODE,
        display_node: OUTPUT_NODE,
        output: { images: [{ filename: outputFileName(promptId), subfolder: '', type: 'output' }] },
        prompt_id: promptId,
      },
    },
    { type: 'execution_success', data: { prompt_id: promptId, timestamp: timestamp + 1 } },
  );
  const tail: ComfyMessage[] = [{ type: 'executing', data: { node: null, prompt_id: promptId } }];
  return { head, tail };
}

export function statusMessage(queueRemaining: number, sid?: string): ComfyMessage {
  return {
    type: 'status',
    data: { status: { exec_info: { queue_remaining: queueRemaining } }, ...(sid ? { sid } : {}) },
  };
}

/** Messages before a prompt is halfway: start, cached, executing, then 4 of its 8 steps. */
export const HALFWAY = 3 + STEPS;

/**
 * One prompt's messages in three parts: up to halfway, the rest up to its end
 * (execution_success, or execution_error at step 4 when `failing`), and the trailing
 * `executing null`. The per-completion `status` goes between the last two.
 */
export function promptParts(
  promptId: string,
  failing: boolean,
  timestamp = Date.now(),
): { start: ComfyMessage[]; rest: ComfyMessage[]; tail: ComfyMessage[] } {
  const { head, tail } = promptMessages(promptId, timestamp);
  const start = head.slice(0, HALFWAY);
  return { start, rest: failing ? [executionError(promptId)] : head.slice(HALFWAY), tail };
}

function executionError(promptId: string): ComfyMessage {
  return {
    type: 'execution_error',
    data: {
      prompt_id: promptId,
      node_id: SAMPLER_NODE,
      node_type: 'KSampler',
      exception_message: 'Allocation on device would exceed allowed memory.',
      exception_type: 'torch.OutOfMemoryError',
      traceback: ['  File "execution.py", line 496, in execute\n'],
      executed: CACHED_NODES,
    },
  };
}
