/**
 * Scheduled reports: what is not OK, per group of series, mailed on a cron
 * schedule with a CSV attachment that is also archived under
 * `<dataDir>/reports/`. The server supplies the alarm states and the delivery.
 */
export { archiveReport } from './report-archive.js';
export { buildReport, CSV_HEADER } from './report-builder.js';
export type { AlarmEntry, BuiltReport, Report, ReportDefinition, ReportGroup, ReportLine } from './report-model.js';
export { archiveFileName, REPORTS_DIR } from './report-name.js';
export {
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
