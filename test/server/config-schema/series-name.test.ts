/** Series names: dotted segments of A-Z a-z 0-9 _ -, no empty segment, a configurable length limit. */
import { describe, expect, it } from 'vitest';
import { checkSeriesName } from '../../../server/config-schema/index.js';
import { loadConfig } from '../../../server/config/index.js';
import { isSeriesName, MAX_SEGMENT_LENGTH, SERIES_NAME_PATTERN } from '../../../slurpers/contract.js';

describe('checkSeriesName', () => {
  it('accepts dotted segments of letters, digits, _ and -', () => {
    for (const name of ['a', 'host.web01.cpu.user', 'A_B-c.0.9', `${'x'.repeat(200)}.${'y'.repeat(54)}`]) expect(checkSeriesName(name)).toBeUndefined();
  });

  it('limits each segment to MAX_SEGMENT_LENGTH (200) characters: a segment is a file or folder name in the store', () => {
    expect(MAX_SEGMENT_LENGTH).toBe(200);
    const message = (n: number) => `has a segment of ${n} characters; the limit is 200 (each segment is a file or folder name in the store)`;
    expect(checkSeriesName('x'.repeat(201))).toBe(message(201));
    expect(checkSeriesName(`a.${'x'.repeat(252)}`)).toBe(message(252));
    expect(checkSeriesName(`${'x'.repeat(251)}.b`)).toBe(message(251));
    // The contract's pattern and isSeriesName (slurper hosts, agents, the ingest schema) hold the same rule.
    for (const name of ['x'.repeat(200), `a.${'x'.repeat(200)}.b`, 'x'.repeat(201), `a.${'x'.repeat(201)}`, 'a..b']) {
      expect(isSeriesName(name), name.length.toString()).toBe(checkSeriesName(name, 1024) === undefined);
      expect(new RegExp(SERIES_NAME_PATTERN).test(name)).toBe(isSeriesName(name));
    }
  });

  it('names the problem', () => {
    const rule = 'a series name is segments of A-Z a-z 0-9 _ - separated by dots';
    expect(checkSeriesName('')).toBe(`must not be empty; ${rule}`);
    expect(checkSeriesName('host.web 01')).toBe(`has " " at position 9; ${rule}`);
    expect(checkSeriesName('host/cpu')).toBe(`has "/" at position 5; ${rule}`);
    expect(checkSeriesName('host.*')).toBe(`has "*" at position 6; ${rule}`);
    expect(checkSeriesName('höst')).toBe(`has "ö" at position 2; ${rule}`);
    expect(checkSeriesName('a\nb')).toBe(`has "\\n" at position 2; ${rule}`);
    const empty = `has an empty segment (a dot at the start or end, or two dots in a row); ${rule}`;
    expect(checkSeriesName('.host')).toBe(empty);
    expect(checkSeriesName('host.')).toBe(empty);
    expect(checkSeriesName('host..cpu')).toBe(empty);
  });

  it('limits the length, by default to 255 characters', () => {
    expect(checkSeriesName('x'.repeat(256))).toBe('is 256 characters long; the limit is 255');
    expect(checkSeriesName('x'.repeat(20), 16)).toBe('is 20 characters long; the limit is 16');
  });

  it('takes its limit from limits.seriesNameLength', () => {
    const config = loadConfig(undefined, { env: {} });
    expect(config.limits.seriesNameLength).toBe(255);
    expect(checkSeriesName('x'.repeat(256), config.limits.seriesNameLength)).toMatch(/limit is 255$/);
  });
});
