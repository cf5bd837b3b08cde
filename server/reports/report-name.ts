/** Where a report run's CSV goes: its name and the minute of the run, in UTC whatever the report's time zone. */
import { isoUtc } from './time-text.js';

/** The folder under the data directory that holds the archived CSVs. */
export const REPORTS_DIR = 'reports';

/** `daily-2026-11-24T0030Z.csv`: sorts by time within a report, and carries no `:` (not allowed in Windows file names). */
export function archiveFileName(name: string, at: number): string {
  const minute = isoUtc(at).slice(0, 16).replace(':', '');
  return `${name}-${minute}Z.csv`;
}
