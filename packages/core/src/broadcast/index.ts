export {
  Broadcaster,
  DEFAULT_QUEUE_LIMIT,
  DEFAULT_SEND_TIMEOUT_MS,
  type BroadcasterOptions,
} from './Broadcaster.js';
export type { BroadcastSink } from './BroadcastSink.js';
export type { DropCode, DropReason } from './DropReason.js';
export type { Subscription, SubscriptionOptions } from './Subscription.js';
