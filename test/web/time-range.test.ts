/** Range presets last what lib/duration.ts reads their names as, as in archive rules (issue 12: the web's year was 365 days). */
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../lib/duration.js';
import { DEFAULT_RANGE, fittedStart, RANGE_PRESETS, resolveRange } from '../../web/src/time-range.js';

const NOW = 1_800_000_000;

describe('range presets', () => {
  it('last as long as the grammar reads their names', () => {
    for (const preset of RANGE_PRESETS) {
      const { start, end } = resolveRange({ preset }, NOW);
      expect(end - start).toBe(parseDuration(preset));
    }
    expect(resolveRange({ preset: '1y' }, NOW).start).toBe(NOW - 366 * 86_400);
  });
});

describe('the default range', () => {
  const start = NOW - 6 * 3600;
  it('is the last 6 hours, cut to where the values begin when they begin well into it', () => {
    expect(DEFAULT_RANGE).toEqual({ preset: '6h' });
    const first = (NOW - 1200) * 1000;
    expect(fittedStart(DEFAULT_RANGE, start * 1000, NOW * 1000, first, 10_000)).toBe(first - 10_000);
  });

  it('is kept whole when the values begin near its start, when there are none, and for any other range', () => {
    expect(fittedStart(DEFAULT_RANGE, start * 1000, NOW * 1000, (start + 60) * 1000, 10_000)).toBe(start * 1000);
    expect(fittedStart(DEFAULT_RANGE, start * 1000, NOW * 1000, null, 10_000)).toBe(start * 1000);
    expect(fittedStart({ preset: '1d' }, start * 1000, NOW * 1000, (NOW - 60) * 1000, 10_000)).toBe(start * 1000);
    expect(fittedStart({ from: start, to: NOW }, start * 1000, NOW * 1000, (NOW - 60) * 1000, 10_000)).toBe(start * 1000);
  });
});
