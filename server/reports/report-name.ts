/**
 * Where a report run's files go: `<name>-<minute>Z.csv` and `.html`, and
 * `<name>-<minute>Z-<view>.png` for each heatmap it embeds, named by
 * the minute of the run in UTC whatever the report's time zone; and reading
 * such a name back. A name is read back only when it has exactly this form,
 * so a client's file name can never point elsewhere (no `/`, no `..`).
 */
import { isoUtc } from './time-text.js';

/** The folder under the data directory that holds the archived runs. */
export const REPORTS_DIR = 'reports';

export const ARCHIVE_KINDS = ['csv', 'html', 'png'] as const;
export type ArchiveKind = (typeof ARCHIVE_KINDS)[number];

/** `2026-11-24T0030Z`: a run's minute, as its files are named. */
export function runStamp(at: number): string {
  return `${isoUtc(at).slice(0, 16).replace(':', '')}Z`;
}

/** `daily-2026-11-24T0030Z.csv`: sorts by time within a report, and carries no `:` (not allowed in Windows file names). */
export function archiveFileName(name: string, at: number, kind: ArchiveKind = 'csv'): string {
  return `${name}-${runStamp(at)}.${kind}`;
}

/** `daily-2026-11-24T0030Z-broker-errors.png`: the heatmap `view` (a heatmaps.views name) a run embedded. */
export function heatmapFileName(name: string, at: number, view: string): string {
  return `${name}-${runStamp(at)}-${view}.png`;
}

// The view's part has the alphabet of config names (config-schema nameSchema), so no `.` or `/`.
const STAMPED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})Z(?:\.(csv|html)|-([a-z0-9][a-z0-9_-]{0,63})\.(png))$/;

/** What an archive file name of report `name` says: its run's minute (Unix seconds), kind, and a PNG's view; undefined for any other name. */
export function readArchiveFileName(name: string, file: string): { readonly at: number; readonly stamp: string; readonly kind: ArchiveKind; readonly view?: string } | undefined {
  if (!file.startsWith(`${name}-`)) return undefined;
  const m = STAMPED.exec(file.slice(name.length + 1));
  if (!m) return undefined;
  const [, y, mo, d, h, mi, text, view, png] = m;
  const at = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi)) / 1000;
  // A date that does not exist (02-30) is no run's.
  if (runStamp(at) !== file.slice(name.length + 1, name.length + 1 + runStamp(at).length)) return undefined;
  return png === undefined ? { at, stamp: runStamp(at), kind: text as ArchiveKind } : { at, stamp: runStamp(at), kind: 'png', view };
}
