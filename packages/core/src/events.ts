import type { ConnectionState } from './connection/ComfyConnection.js';
import type { Progress } from './progress/Progress.js';
import type {
  GenerationFailure,
  GenerationOutput,
  GenerationRecord,
} from './generation/GenerationState.js';

interface GenerationEventBase {
  id: string;
  promptId: string;
}

/** Where a waiting generation stands in its backend's queue. */
export interface QueuePosition {
  promptId: string;
  /** 1 for the next to run. */
  position: number;
  /** Every prompt before it, the running ones included. */
  ahead: number;
}

/** Everything the relay tells its subscribers (chat renderers, the CLI, dashboards). */
export type RelayEvent =
  | ({ type: 'submitted'; record: GenerationRecord } & GenerationEventBase)
  /**
   * Taken up again after a restart, from its record: frontends rebind their progress messages
   * from `record.origin` (its `replyTo` references).
   */
  | ({ type: 'resumed'; record: GenerationRecord } & GenerationEventBase)
  /**
   * `position` is 1 for the next to run; `ahead` counts every prompt before it, the running one
   * included. `startedOver`: it had started, and waits again to run from the beginning (the
   * server running it was lost: `RelayConfig.retryRunningOnUnreachable`); its progress starts
   * over. Without it, a `queued` that reaches a subscriber after `started` is a view of the queue
   * from before the start.
   */
  | ({ type: 'queued'; position: number; ahead: number; startedOver?: true } & GenerationEventBase)
  | ({ type: 'started' } & GenerationEventBase)
  | ({ type: 'progress'; progress: Progress } & GenerationEventBase)
  | ({ type: 'succeeded'; outputs: GenerationOutput[] } & GenerationEventBase)
  | ({ type: 'failed'; error: GenerationFailure } & GenerationEventBase)
  | ({ type: 'cancelled' } & GenerationEventBase)
  /**
   * The queues moved: every waiting generation, by id, with its place (comfyrelay's own queue
   * and the backend's together), published once per change and coalesced. Subscribers of one
   * generation get it as `queued` instead.
   */
  | { type: 'positions'; positions: Readonly<Record<string, QueuePosition>> }
  | {
      type: 'backend';
      backend: string;
      state: ConnectionState;
      reason?: string;
      queueRemaining?: number;
    };

export type GenerationEvent = Exclude<RelayEvent, { type: 'backend' } | { type: 'positions' }>;

/** Superseded events share a key: a slow subscriber gets the latest progress, never a backlog. */
export function relayCoalesceKey(event: RelayEvent): string | undefined {
  switch (event.type) {
    case 'progress':
    case 'queued':
      return `${event.type}:${event.id}`;
    case 'backend':
      return `backend:${event.backend}`;
    case 'positions':
      return 'positions';
    default:
      return undefined;
  }
}

/** The generations an event concerns: what per-generation subscriptions are indexed by. */
export function relayTopicsOf(event: RelayEvent): string | readonly string[] | undefined {
  if ('id' in event) return event.id;
  return event.type === 'positions' ? Object.keys(event.positions) : undefined;
}

/** JSON for the wire: previews travel as base64 data URLs. */
export function encodeRelayEvent(event: RelayEvent): string {
  return JSON.stringify(event, (key, value: unknown) => {
    if (key === 'preview' && value && typeof value === 'object' && 'data' in value) {
      const preview = value as { mime: string; data: Buffer };
      return {
        mime: preview.mime,
        dataUrl: `data:${preview.mime};base64,${Buffer.from(preview.data).toString('base64')}`,
      };
    }
    return value;
  });
}
