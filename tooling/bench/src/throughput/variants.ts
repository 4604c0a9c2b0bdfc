import { bare } from './bare.js';
import {
  relayAllEvents,
  relayAllMemoryStore,
  relayAllSqliteInlineStore,
  relayAllSqliteStore,
} from './relayAllEvents.js';
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
  relayAllMemoryAgain: {
    label: '(b) with an InMemoryGenerationStore, again (the method against itself)',
    run: relayAllMemoryStore,
  },
  relayAllSqlite: {
    label: '(b) with a SqliteGenerationStore (WAL file)',
    run: relayAllSqliteStore,
  },
  relayAllSqliteInline: {
    label: '(b) with a SqliteGenerationStore written on the relay’s thread (`writerThread: false`)',
    run: relayAllSqliteInlineStore,
  },
} satisfies Record<string, { label: string; run: Variant }>;

export type VariantName = keyof typeof variants;
