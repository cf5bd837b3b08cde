/**
 * CSV as RFC 4180 writes it: CRLF after every record, a field quoted when it
 * holds a comma, a quote, CR or LF, quotes inside doubled. Spreadsheets and
 * `csv` libraries then read back exactly what was written.
 */

export type CsvField = string | number | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;

function field(value: CsvField): string {
  const text = value === null || value === undefined ? '' : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The header and the rows, each record ending in CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvField[])[]): string {
  return [header, ...rows].map((row) => `${row.map(field).join(',')}\r\n`).join('');
}
