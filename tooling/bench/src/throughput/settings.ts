import type { WriteMode } from '../fakeProtocol.js';
import type { VariantName } from './variants.js';

export const PROMPTS = 1_000;
export const RUNS = 3;
export const STREAM_TIMEOUT_MS = 15_000;
export const BAR = 0.8;

/** Variants measured in one process, taking turns stream by stream. */
export interface Group {
  variants: VariantName[];
  rounds: number;
  /** Bound on the whole process. */
  budgetMs: number;
}

export interface Setting {
  withStatus: boolean;
  writes: WriteMode;
  groups: Group[];
}

// The bare client runs beside comfyrelay so that "× ceiling" compares streams measured under
// the same load (this box's 2 cores may be shared with other processes).
const relay: Group = {
  variants: ['bare', 'relayAll', 'relayPerGeneration'],
  rounds: 2,
  budgetMs: 120_000,
};
// The SDK can take its process down slowly (a GET /queue storm): bound it tighter.
const sdk: Group = { variants: ['saintno'], rounds: 1, budgetMs: 45_000 };

export const settings: Setting[] = [
  { withStatus: false, writes: 'bulk', groups: [relay, sdk] },
  { withStatus: true, writes: 'bulk', groups: [relay, sdk] },
];

export function settingName(setting: Setting): string {
  return `${setting.withStatus ? 'with' : 'without'} per-completion \`status\``;
}
