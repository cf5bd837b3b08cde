/**
 * Where a report run's files go: `<name>-<minute>Z.csv` and `.html`, named by
 * the minute of the run in UTC whatever the report's time zone; and reading
 * such a name back. A name is read back only when it has exactly this form,
 * so a client's file name can never point elsewhere (no `/`, no `..`).
 */
import { isoUtc } from './time-text.js';

/** The folder under the data directory that holds the archived runs. */
export const REPORTS_DIR = 'reports';

export const ARCHIVE_KINDS = ['csv', 'html'] as const;
export type ArchiveKind = (typeof ARCHIVE_KINDS)[number];

/** `2026-11-24T0030Z`: a run's minute, as its files are named. */
export function runStamp(at: number): string {
  return `${isoUtc(at).slice(0, 16).replace(':', '')}Z`;
}

/** `daily-2026-11-24T0030Z.csv`: sorts by time within a report, and carries no `:` (not allowed in Windows file names). */
export function archiveFileName(name: string, at: number, kind: ArchiveKind = 'csv'): string {
  return `${name}-${runStamp(at)}.${kind}`;
}

const STAMPED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})Z\.(csv|html)$/;

/** What an archive file name of report `name` says: its run's minute (Unix seconds) and kind; undefined for any other name. */
export function readArchiveFileName(name: string, file: string): { readonly at: number; readonly stamp: string; readonly kind: ArchiveKind } | undefined {
  if (!file.startsWith(`${name}-`)) return undefined;
  const m = STAMPED.exec(file.slice(name.length + 1));
  if (!m) return undefined;
  const [, y, mo, d, h, mi, kind] = m;
  const at = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi)) / 1000;
  // A date that does not exist (02-30) is no run's.
  if (runStamp(at) !== file.slice(name.length + 1, -(kind.length + 1))) return undefined;
  return { at, stamp: runStamp(at), kind: kind as ArchiveKind };
}
