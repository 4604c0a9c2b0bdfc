import { bare } from './bare.js';
import { relayAllEvents, relayAllMemoryStore, relayAllSqliteStore } from './relayAllEvents.js';
import { relayPerGeneration } from './relayPerGeneration.js';
import { saintno } from './saintno.js';
import type { Variant } from './types.js';

export const variants = {
  bare: { label: '(a) bare ws + JSON.parse (ceiling)', run: bare },
  relayAll: { label: '(b) comfyrelay, one all-events subscriber', run: relayAllEvents },
  relayPerGeneration: {
    label: '(c) comfyrelay, a subscription per generation',
    run: relayPerGeneration,
  },
  saintno: { label: '(d) @saintno/comfyui-sdk 0.3.1', run: saintno },
  relayAllMemory: {
    label: '(b) with an InMemoryGenerationStore',
    run: relayAllMemoryStore,
  },
  relayAllSqlite: {
    label: '(b) with a SqliteGenerationStore (WAL file)',
    run: relayAllSqliteStore,
  },
} satisfies Record<string, { label: string; run: Variant }>;

export type VariantName = keyof typeof variants;
