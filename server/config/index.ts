/**
 * The server's configuration: loadConfig (defaults, YAML file, environment),
 * its type and the list of sections (schema.ts). The sections themselves
 * belong to the parts; what they are built from is server/config-schema.
 * Re-exported here for the entry points (cli, start) and tests: the error,
 * series names and patterns, and the archive rules of new series.
 */
export { DEFAULT_TOKENS_FILE_NAME } from '../auth/config-section.js';
export {
  checkSeriesGlob,
  checkSeriesName,
  ConfigError,
  formatConfigProblem,
  SERIES_NAME_PATTERN,
  SERIES_NAME_RULE,
  seriesGlob,
  type ConfigProblem,
  type ConfigSection,
} from '../config-schema/index.js';
export { definitionForSeries, SERIES_DS_NAME, type ArchiveRuleSettings } from '../store/archive-rules.js';
export { DEFAULT_INFER_WITHIN, DEFAULT_WRITE_BEHIND } from '../store/config-section.js';
export * from './defaults.js';
export { ENV_OVERRIDES } from './env.js';
export { loadConfig, type LoadOptions } from './load-config.js';
export { CONFIG_SECTIONS, ServerConfigSchema, type ConfigSectionName, type ServerConfig } from './schema.js';
