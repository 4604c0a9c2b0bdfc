export { seededRandom, seededStream, seedFromEnv, type SeededRandom } from './seededRandom.js';
export { FractionMatcher } from './FractionMatcher.js';
export { ExecutionLog, type LossCause, type PromptRun, type RunEnd } from './ExecutionLog.js';
export { readHistory, type HistoryItem } from './history.js';
export { harnessGraph } from './harnessGraph.js';
export {
  ChaosCluster,
  type ChaosClusterOptions,
  type ChaosNode,
  type InjectedFaults,
} from './chaos/ChaosCluster.js';
export { RecordingLogger, type LogEntry } from './chaos/RecordingLogger.js';
export {
  judge,
  type Excuse,
  type JudgeOptions,
  type Plan,
  type Tally,
  type Verdict,
} from './chaos/tally.js';
export { timelineOf, type TimelineSources } from './chaos/timeline.js';
