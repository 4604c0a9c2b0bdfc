// What a dashboard endpoint needs: the server, its options and why a listener left.
export { EventStreamServer } from './EventStreamServer.js';
export {
  DEFAULT_EVENT_STREAM_PATH,
  DEFAULT_PING_INTERVAL_MS,
  DEFAULT_PONG_TIMEOUT_MS,
  type EventStreamOptions,
} from './EventStreamOptions.js';
export type { EventStreamSource } from './EventStreamSource.js';
export type { ListenerDropCode, ListenerDropReason } from './ListenerDropReason.js';

// For clients and tests that check how a connection ended.
export { CLOSE_GRACE_MS, CloseCode } from './closeCodes.js';
