/**
 * What a configuration section is built from, for the parts that own one
 * (server/alarms, server/store, ...) and for the loader in server/config:
 * the section contract, leaf schemas (durations, sizes, paths, ports), the
 * config's error and problem reporting, shared name and pattern schemas,
 * and series patterns and names. Imports no part of the server, so every
 * part may use it and server/config may list the parts' sections.
 */
export { ConfigError, formatConfigProblem, formatKeyPath, unknownRecipientProblems, type ConfigProblem, type KeyPath, type ReportProblem } from './errors.js';
export {
  byteSize,
  childSchema,
  durationSeconds,
  EXPECTED,
  filePath,
  port,
  readTextForm,
  strictObject,
  TEXT_FORM,
  type SchemaNode,
  type TextForm,
  unitSchema,
} from './leaf-schemas.js';
export { checkMatch, matchSchema, nameSchema } from './names.js';
export { defineSection, type ConfigSection, type DeepReadonly, type SectionValue } from './section.js';
export { checkSeriesGlob, MAX_GLOB_DOUBLE_STARS, MAX_GLOB_LENGTH, MAX_GLOB_SEGMENTS, SegmentMatcher, seriesGlob, type SeriesMatcher } from './series-glob.js';
export { checkSeriesName, DEFAULT_SERIES_NAME_LENGTH, SERIES_NAME_PATTERN, SERIES_NAME_RULE } from './series-name.js';
