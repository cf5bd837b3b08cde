/** Times on the downtime command line: the API's forms, now, and offsets from now or from --from. */
import { describe, expect, it } from 'vitest';
import { parseCliTime } from '../../../cli/downtime/time-input.js';
import { UsageError } from '../../../cli/errors.js';

const NOW = 1_796_112_000.7; // 2026-12-01T08:00:00.7Z
const FROM = 1_800_000_000;

describe('parseCliTime', () => {
  it.each([
    ['now', NOW, 1_796_112_000],
    ['+2h', NOW, 1_796_119_200],
    ['-30m', NOW, 1_796_110_200],
    ['now+1h30m', FROM, 1_796_117_400],
    ['+2h', FROM, FROM + 7200],
    ['1796112000', FROM, 1_796_112_000],
    ['2026-12-01T09:00+01:00', FROM, 1_796_112_000],
  ])('reads %j with base %d', (text, base, expected) => {
    expect(parseCliTime(text, '--to', NOW, base)).toBe(expected);
  });

  it('reads times without an offset in the given zone', () => {
    expect(parseCliTime('2026-12-01T09:00', '--from', NOW, NOW, 'Europe/Berlin')).toBe(1_796_112_000);
  });

  it.each(['tomorrow', 'start+1h', 'e-1h', '2026-12-01', '+2x', '2h'])('refuses %j naming the option', (text) => {
    expect(() => parseCliTime(text, '--from', NOW)).toThrow(UsageError);
    expect(() => parseCliTime(text, '--from', NOW)).toThrow(/^--from: /);
  });
});
