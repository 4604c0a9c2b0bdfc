export {
  defineSection,
  type ConfigOf,
  type ConfigSection,
  type EnvBinding,
  type EnvReading,
} from './ConfigSection.js';
export {
  ConfigProblems,
  formatProblem,
  formatProblems,
  type ConfigProblem,
} from './ConfigProblem.js';
export { loadConfig, type LoadConfigOptions, type LoadedConfig } from './loadConfig.js';
export type { Environment } from './applyEnvironment.js';
export { CONFIG_FILE_NAMES } from './readConfigFile.js';
export { DERIVED_MASK, MASK } from './maskSecrets.js';
export {
  dataDirSection,
  httpUrl,
  limitsSection,
  loggingSection,
  PLATFORM_SECTIONS,
  retentionDaysSection,
  serversSection,
  shutdownSecondsSection,
  workflowsDirSection,
  type ServerConfig,
} from './platformSections.js';
export {
  platformOptionsFrom,
  type PlatformConfig,
  type PlatformOptionsFromConfig,
} from './platformOptionsFrom.js';
