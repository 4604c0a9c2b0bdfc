export {
  EventStreamServer,
  DEFAULT_EVENT_STREAM_PATH,
  DEFAULT_PING_INTERVAL_MS,
  type EventStreamOptions,
} from './EventStreamServer.js';
export { CLOSE_GRACE_MS } from './EventStreamListener.js';
