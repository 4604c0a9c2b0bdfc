export { FairQueue, type QueuedJob } from './FairQueue.js';
export {
  LimitError,
  LimitPolicy,
  type LimitCode,
  type LimitOptions,
  type LimitRequest,
} from './Limits.js';
