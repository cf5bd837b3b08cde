/**
 * A GET /api/v1/alarms/history answer as CSV (`format=csv`, or `Accept:
 * text/csv`): one record a transition, newest first as the JSON answer
 * lists them, with a header record; RFC 4180, and text that a spreadsheet
 * would take for a formula defused, by lib/csv.ts. Times as the JSON
 * answer writes them (ISO 8601, UTC); an absent value, threshold,
 * downtime or inhibiting node is an empty field; the display name is the
 * series' node's in the metadata now. Written as a stream, ROWS_PER_CHUNK
 * records at a time with a turn of the event loop between; the route's
 * `limit` bounds the rows.
 */
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { csvRecord } from '../../lib/csv.js';
import type { RecordedTransition } from '../alarms/index.js';
import { timeOut } from './schema-parts.js';

const ROWS_PER_CHUNK = 1000;

export const ALARM_HISTORY_CSV_HEADER = ['id', 'time', 'series', 'display_name', 'rule', 'from', 'to', 'value', 'threshold', 'downtime_id', 'downtime_kind', 'suppressed', 'inhibited_by'] as const;

async function* csvChunks(rows: readonly RecordedTransition[], displayNameOf: (series: string) => string | undefined): AsyncGenerator<string> {
  yield csvRecord(ALARM_HISTORY_CSV_HEADER);
  for (let from = 0; from < rows.length; from += ROWS_PER_CHUNK) {
    let text = '';
    for (const t of rows.slice(from, from + ROWS_PER_CHUNK)) {
      text += csvRecord([t.id, timeOut(t.at), t.series, displayNameOf(t.series), t.rule, t.from, t.to, t.value, t.threshold, t.downtime?.id, t.downtime?.kind, t.suppressed ? 'true' : 'false', t.inhibitedBy]);
    }
    yield text;
    await nextTurn();
  }
}

/** The transitions as a byte stream for reply.send. */
export function alarmHistoryCsv(rows: readonly RecordedTransition[], displayNameOf: (series: string) => string | undefined): Readable {
  return Readable.from(csvChunks(rows, displayNameOf), { objectMode: false });
}
