import type { OutputSpec } from '@comfyrelay/core';

/** Every shipped template ends in SaveImage node "9". */
export const SAVE_NODE = '9';

export const imageOutputs: OutputSpec[] = [{ node: SAVE_NODE, kind: 'image', mime: 'image/png' }];
