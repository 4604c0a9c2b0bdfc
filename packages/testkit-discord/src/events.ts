import type { GatewayEvents } from './gateway/gateway-events.js';
import type { TooManyRequestsRecord } from './rate-limits/rate-limiter.js';
import type { RequestRecord } from './rest/request-record.js';
import type { CommandStoreEvents } from './state/command-store.js';
import type { InteractionCallbackRecord } from './state/interaction-record.js';
import type { MessageStoreEvents } from './state/message-store.js';

export interface FakeDiscordEvents extends GatewayEvents, MessageStoreEvents, CommandStoreEvents {
  /** Every HTTP request, once answered. */
  request: RequestRecord;
  /** Every 429 served. */
  'rate-limited': TooManyRequestsRecord;
  /** Every POST to an interaction's callback route, accepted or refused. */
  'interaction-callback': InteractionCallbackRecord;
  /** An interaction the fake dispatched (INTERACTION_CREATE). */
  'interaction-create': { interactionId: string; type: number };
}

export type FakeDiscordEventName = keyof FakeDiscordEvents & string;
