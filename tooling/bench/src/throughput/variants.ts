import { bare } from './bare.js';
import { relayFull } from './relayFull.js';
import { relayLight } from './relayLight.js';
import { saintno } from './saintno.js';
import type { Variant } from './types.js';

export const variants = {
  bare: { label: '(a) bare ws + JSON.parse (ceiling)', run: bare },
  relayLight: {
    label: '(b1) comfyrelay: ComfyConnection → PromptRouter → Generation',
    run: relayLight,
  },
  relayFull: {
    label: '(b2) comfyrelay: ComfyRelay (submit, queue, history, broadcaster)',
    run: relayFull,
  },
  saintno: { label: '(c) @saintno/comfyui-sdk 0.3.1', run: saintno },
} satisfies Record<string, { label: string; run: Variant }>;

export type VariantName = keyof typeof variants;
