/** Range presets last what lib/duration.ts reads their names as, as in archive rules (issue 12: the web's year was 365 days). */
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../lib/duration.js';
import { RANGE_PRESETS, resolveRange } from '../../web/src/time-range.js';

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
