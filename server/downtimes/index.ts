/**
 * The downtime database: planned and unplanned downtimes of series and
 * agents, their history, and the questions alarms and graphs ask of them.
 * Open with Downtimes.open(file, limits); see docs/downtimes.md.
 */
export { downtimeLimits } from './config-section.js';
export type { ActiveDowntime, TouchingDowntime } from './downtime-index.js';
export { Downtimes, type DowntimeListing, type DowntimeQuery } from './downtimes.js';
export { DowntimeConflictError, DowntimeError, DowntimeLimitError, DowntimeMigrationError, InvalidDowntimeError, UnknownDowntimeError, type DowntimeProblem } from './errors.js';
export {
  DOWNTIME_KINDS,
  DOWNTIME_STATUSES,
  REVISION_ACTIONS,
  type Downtime,
  type DowntimeChanges,
  type DowntimeDraft,
  type DowntimeKind,
  type DowntimeScope,
  type DowntimeStatus,
  type Occurrence,
  type Revision,
  type RevisionAction,
} from './model.js';
export { formatInstant, parseInstant } from './time-input.js';
export { isTimeZone } from './time-zone.js';
export { AGENT_NAME_PATTERN, MAX_REASON_LENGTH, type DowntimeLimits } from './validate.js';
