/**
 * A Graphite line's timestamp is text, read as rrdtool 1.7 reads an update's
 * time (archive/sample-time.ts), so a fraction lands on the microsecond an
 * archive written by rrdtool from the same text would hold.
 */
import { describe, expect, it } from 'vitest';
import { parseTimeText, splitTime } from '../../archive/index.js';
import { parsePlaintextLine } from '../../server/graphite/plaintext-listener.js';

const NOW = 1_700_000_300;

describe('Graphite plaintext timestamps', () => {
  it('read a fractional timestamp with the archive\'s text-time parser: .568 is 567999 µs, as in rrdtool', () => {
    const sample = parsePlaintextLine('web01.load 5 1700000291.568', NOW, 255);
    expect(sample).toEqual({ series: 'web01.load', time: parseTimeText('1700000291.568'), value: 5 });
    if (typeof sample === 'string') throw new Error(sample);
    // Number() would give 568000.
    expect(splitTime(sample.time)).toEqual({ seconds: 1700000291, usec: 567999 });
    expect(splitTime(Number('1700000291.568')).usec).toBe(568000);
  });

  it('take rrdtool\'s forms of a number (exponent, sign) and refuse what it refuses (hex, Infinity)', () => {
    expect(parsePlaintextLine('a.b 1 1.7000002915e9', NOW, 255)).toEqual({ series: 'a.b', time: 1700000291.5, value: 1 });
    expect(parsePlaintextLine('a.b 1 +1700000291', NOW, 255)).toEqual({ series: 'a.b', time: 1700000291, value: 1 });
    expect(parsePlaintextLine('a.b 1 0x6553F3A3', NOW, 255)).toMatch(/timestamp '0x6553F3A3' is not Unix seconds/);
    expect(parsePlaintextLine('a.b 1 Infinity', NOW, 255)).toMatch(/is not Unix seconds/);
  });
});
