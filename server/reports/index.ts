/**
 * Scheduled reports: what was not OK over a period (since the last run, or a
 * range asked for), per group of series, with availability; mailed on a
 * cron schedule with a CSV attachment and inline heatmaps, the CSV, HTML and PNGs archived under
 * `<dataDir>/reports/` for the report's `keep`. The server supplies the
 * alarm states and history, the planned downtimes and the delivery.
 */
export { archiveReport, listRuns, pruneRuns, readRun, type ArchivedRun } from './report-archive.js';
export { buildReport, CSV_HEADER, type PeriodInput } from './report-builder.js';
export type { AlarmEntry, BuiltReport, Report, ReportDefinition, ReportGroup, ReportLine } from './report-model.js';
export type { EndState, PlannedDowntime, SeriesPeriod, Spell, StateChange, Window } from './period-model.js';
export { MAX_PERIOD_CHANGES, readPeriod, TooMuchHistoryError, type ReadHistory } from './period-input.js';
export { PeriodSweep, type SweptSeries } from './period-sweep.js';
export { plannedDowntimesOf } from './planned-downtimes.js';
export { ARCHIVE_KINDS, archiveFileName, heatmapFileName, readArchiveFileName, REPORTS_DIR, runStamp, type ArchiveKind } from './report-name.js';
export { drawReportHeatmaps, embedHeatmaps, MAX_HEATMAP_PNG_BYTES, reportHeatmapSource, type DrawnHeatmap, type ReportHeatmap, type ReportHeatmapSource } from './report-heatmaps.js';
export { RUN_MARKS_FILE } from './run-marks.js';
export {
  FIRST_WINDOW_SECONDS,
  MAX_WINDOW_SECONDS,
  type PlannedDowntimes,
  ReportRunError,
  startReports,
  type AlarmStates,
  type DeliverReport,
  type ReportLogger,
  type ReportRun,
  type Reports,
  type ReportsOptions,
  type ReportStep,
} from './report-scheduler.js';
