/** Report definitions and alarm entries for the report tests, made in code; and an RFC 4180 reader to check the CSV with. */
import type { AlarmStatus } from '../../../server/alarms/model.js';
import { PeriodSweep, type AlarmEntry, type PeriodInput, type PlannedDowntime, type ReportDefinition, type StateChange, type Window } from '../../../server/reports/index.js';

/** 2026-11-24T00:30:00Z, the time of a daily run. */
export const RUN_AT = Date.UTC(2026, 10, 24, 0, 30, 0) / 1000;

export function definition(changes: Partial<ReportDefinition> = {}): ReportDefinition {
  return {
    name: 'daily',
    cron: '30 0 * * *',
    timezone: 'UTC',
    notify: ['ops'],
    match: '**',
    groupBy: 2,
    statuses: ['WARNING', 'CRITICAL', 'NODATA'],
    keep: 90 * 86400,
    ...changes,
  };
}

export function entry(series: string, status: AlarmStatus, changes: Partial<AlarmEntry> = {}): AlarmEntry {
  return {
    series,
    rule: 'load',
    status,
    since: RUN_AT - 3600,
    value: status === 'NODATA' ? null : 7.5,
    threshold: status === 'OK' ? null : status === 'NODATA' ? 'no data for 10m' : '> 5',
    ...changes,
  };
}

/** The day before RUN_AT. */
export const DAY_BEFORE: Window = { from: RUN_AT - 86400, to: RUN_AT };

/** What a report over `window` reads when `entries` are the states now and `changes` (newest first) the history. */
export function periodOf(entries: readonly AlarmEntry[], changes: readonly StateChange[] = [], window: Window = DAY_BEFORE, planned: readonly PlannedDowntime[] = []): PeriodInput {
  const sweep = new PeriodSweep(window, entries, window.to >= RUN_AT);
  sweep.add(changes);
  return { window, series: sweep.finish(), planned };
}

/** Records of an RFC 4180 text: quoted fields may hold commas, doubled quotes, CR and LF; records end in CRLF. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && field === '') {
      const end = closingQuote(text, i + 1);
      field = text.slice(i + 1, end).replaceAll('""', '"');
      i = end + 1;
      if (text[i] !== ',' && !text.startsWith('\r\n', i)) throw new Error(`text after a quoted field at ${i}`);
    } else if (c === ',') {
      record.push(field);
      field = '';
      i += 1;
    } else if (text.startsWith('\r\n', i)) {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else if (c === '\r' || c === '\n' || c === '"') {
      throw new Error(`bare ${JSON.stringify(c)} in an unquoted field at ${i}`);
    } else {
      field += c;
      i += 1;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('the last record does not end in CRLF');
  return records;
}

function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] !== '"') continue;
    if (text[i + 1] === '"') i += 1;
    else return i;
  }
  throw new Error('unterminated quoted field');
}
