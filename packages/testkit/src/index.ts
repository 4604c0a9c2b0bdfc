export { FaultProxy } from './FaultProxy.js';
export type {
  ConnectionInfo,
  ConnectionKind,
  CutMode,
  CutOptions,
  FaultProxyEvents,
  FaultProxyOptions,
  RefuseOptions,
  ScheduledCutOptions,
  SlowOptions,
  UpstreamCloseReason,
} from './fault-proxy/types.js';
