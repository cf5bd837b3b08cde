/** lib/csv.ts: RFC 4180 records, and text a spreadsheet would run as a formula defused. */
import { describe, expect, it } from 'vitest';
import { csvField, csvRecord, toCsv } from '../../lib/csv.js';

describe('csv', () => {
  it('quotes commas, quotes and line breaks, and ends each record with CRLF', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"'], ['two\nlines', null]])).toBe('a,b\r\n"x,y","say ""hi"""\r\n"two\nlines",\r\n');
  });

  it("puts a ' before text that begins a formula (= + - @ tab CR), and leaves numbers alone", () => {
    expect(csvField('=HYPERLINK("http://evil.example","click")')).toBe(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(['+1', '-2+3', '@SUM(A1)', '\tx', '\rx'].map(csvField)).toEqual(["'+1", "'-2+3", "'@SUM(A1)", "'\tx", `"'\rx"`]);
    expect(csvRecord([-3.5, 0, 1e21, 'web01.load'])).toBe('-3.5,0,1e+21,web01.load\r\n');
    expect(csvField('a=b')).toBe('a=b');
  });
});
