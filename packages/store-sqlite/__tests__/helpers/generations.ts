import type { GenerationStatus, StoredGeneration } from '@comfyrelay/core';

/** A record with only what every record has. */
export function generation(
  id: string,
  createdAt: number,
  overrides: Partial<StoredGeneration> = {},
): StoredGeneration {
  return {
    id,
    promptId: `prompt-${id}`,
    backend: 'local',
    status: 'queued',
    createdAt,
    ...overrides,
  };
}

/** A finished record (terminal status and `finishedAt`). */
export function finished(
  id: string,
  createdAt: number,
  finishedAt: number,
  status: GenerationStatus = 'succeeded',
): StoredGeneration {
  return generation(id, createdAt, { status, finishedAt });
}

/** A record with every field filled in, nested ones included. */
export function fullGeneration(id = 'full'): StoredGeneration {
  return {
    id,
    promptId: 'b7c1e5e2-2a8f-4f36-9c1b-1f0d2b1f4c11',
    backend: 'gpu-2',
    workflow: 'image.txt2img',
    parameters: { prompt: 'a lighthouse at dusk', width: 768, height: 512, seed: 42, hires: true },
    origin: {
      platform: 'discord',
      userId: '81234',
      displayName: 'Ada',
      chatId: 'channel-7',
      roles: ['artist', 'patron'],
      replyTo: {
        channelId: 'channel-7',
        messageId: 'm-99',
        interaction: { token: 't', ephemeral: false },
      },
      locale: 'en-GB',
    },
    parentId: 'earlier',
    action: 'upscale',
    status: 'failed',
    position: 2,
    ahead: 3,
    progress: {
      fraction: 0.5,
      phase: 'sampling 10/20',
      step: 10,
      stepTotal: 20,
      node: '3',
      nodeClass: 'KSampler',
      etaMs: 4_000,
    },
    outputs: [
      {
        nodeId: '9',
        kind: 'image',
        mime: 'image/png',
        file: { filename: 'ComfyUI_00001_.png', subfolder: '', type: 'output' },
        backend: 'gpu-2',
      },
    ],
    error: {
      code: 'execution',
      message: 'The sampler ran out of memory.',
      node: '3',
      nodeClass: 'KSampler',
    },
    createdAt: 1_700_000_000_000,
    submittedAt: 1_700_000_000_100,
    startedAt: 1_700_000_001_000,
    finishedAt: 1_700_000_009_000,
    graph: {
      '3': {
        class_type: 'KSampler',
        inputs: { seed: 42, steps: 20, model: ['4', 0], positive: ['6', 0] },
      },
      '9': { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: 'ComfyUI' } },
    },
    outputSpecs: [{ node: '9', kind: 'image', mime: 'image/png' }],
  };
}
