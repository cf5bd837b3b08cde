/**
 * The server's configuration: loadConfig (defaults, YAML file, environment),
 * its type, its error, and the rules derived from it (archive definitions of
 * new series, valid series names).
 */
export { definitionForSeries, SERIES_DS_NAME, type ArchiveRuleSettings } from './archive-rules.js';
export * from './defaults.js';
export { ENV_OVERRIDES } from './env.js';
export { ConfigError, formatConfigProblem, type ConfigProblem } from './errors.js';
export { loadConfig, type LoadOptions } from './load-config.js';
export { CONFIG_SECTIONS, ServerConfigSchema, type ConfigSectionName, type ServerConfig } from './schema.js';
export type { ConfigSection } from './section.js';
export { checkSeriesGlob, seriesGlob } from './series-glob.js';
export { checkSeriesName, SERIES_NAME_PATTERN, SERIES_NAME_RULE } from './series-name.js';
