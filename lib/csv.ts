/**
 * CSV as RFC 4180 writes it: CRLF after every record, a field quoted when it
 * holds a comma, a quote, CR or LF, quotes inside doubled. Spreadsheets and
 * `csv` libraries then read back exactly what was written.
 *
 * Text that begins with `=`, `+`, `-`, `@`, a tab or a CR is a formula to a
 * spreadsheet (`=HYPERLINK(...)` in a downtime's free-text reason would run
 * when the report is opened), so such a text field is written with a `'`
 * before it, as OWASP advises for CSV injection; numbers are written as they
 * are (a negative value stays a number).
 */

export type CsvField = string | number | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field as CSV text. */
export function csvField(value: CsvField): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, ending in CRLF. */
export function csvRecord(fields: readonly CsvField[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** The header and the rows, each record ending in CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvField[])[]): string {
  return [header, ...rows].map(csvRecord).join('');
}
