export { FaultProxy } from './FaultProxy.js';
export {
  HttpGateway,
  type GatewayRequest,
  type HttpGatewayOptions,
} from './http-gateway/HttpGateway.js';
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
export {
  startRelayFixture,
  type HttpCall,
  type RelayFixture,
  type RelayFixtureOptions,
  type TestGeneration,
} from './relay/startRelayFixture.js';
export { gradientPng, isPng, PNG_MAGIC, pngSize, rgbPng, solidPng } from './images/png.js';
export { waitFor } from './waiting/waitFor.js';
export { EventLog } from './waiting/EventLog.js';
export { spawnNode, type NodeRun } from './process/spawnNode.js';
