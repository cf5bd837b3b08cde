import { describe, expect, it } from 'vitest';
import { durationUnit, formatDuration, formatElapsed, parseDuration, readDuration } from '../../lib/duration.js';

describe('readDuration', () => {
  it.each([
    ['90', 90],
    ['1.5', 1.5],
    ['0', 0],
    [' 30s ', 30],
    ['500ms', 0.5],
    ['1.5s', 1.5],
    ['5m', 300],
    ['5min', 300],
    ['2h', 7200],
    ['1d', 86_400],
    ['1w', 604_800],
    ['1M', 31 * 86_400],
    ['1mon', 31 * 86_400],
    ['1y', 366 * 86_400],
    ['2years', 2 * 366 * 86_400],
    ['1h30m', 5400],
    ['2d12h', 216_000],
    ['1m30s250ms', 90.25],
    ['1.1h', 3960],
    ['0.1s', 0.1],
  ])('%j is %s seconds', (text, seconds) => expect(readDuration(text)).toBe(seconds));

  it('tells m (minutes) from M (months)', () => {
    expect([readDuration('1m'), readDuration('1M')]).toEqual([60, 2_678_400]);
  });

  it.each([
    ['', /is not a duration/],
    ['s', /is not a duration/],
    ['-5s', /is not a duration/],
    ['NaN', /is not a duration/],
    ['5 minutes', /is not a duration/],
    ['5x', /^'5x' has trailing garbage 'x'/],
    ['1h30', /trailing garbage '30'/],
    ['30m1h', /from the largest to the smallest/],
    ['1m1m', /each once/],
    ['1H', /trailing garbage 'H'/],
  ])('%j is refused: %s', (text, problem) => expect(readDuration(text)).toMatch(problem));
});

describe('parseDuration', () => {
  it('takes finite numbers as seconds and gives undefined for what does not read', () => {
    expect([parseDuration(12), parseDuration(0.25), parseDuration('2m'), parseDuration(Infinity), parseDuration('soon')]).toEqual([12, 0.25, 120, undefined, undefined]);
  });
});

describe('durationUnit', () => {
  it('knows every unit by all its names, largest first', () => {
    expect(durationUnit('hrs')).toEqual({ name: 'h', rank: 4, seconds: 3600 });
    expect(durationUnit('months')).toEqual({ name: 'M', rank: 1, seconds: 31 * 86_400 });
    expect(durationUnit('fortnight')).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [0.5, '500ms'],
    [0.1, '100ms'],
    [1.5, '1.5s'], [90.25, '90.25s'], [61.001, '61s1ms'],
    [30, '30s'],
    [90, '90s'],
    [300, '5m'],
    [3600, '1h'],
    [5400, '90m'],
    [86_400, '1d'],
    [86_401, '1d1s'],
    [3 * 86_400, '3d'],
    [3 * 86_400 + 5, '3d5s'],
    [604_800, '1w'],
    [365 * 86_400, '365d'],
    [0.0005, '0.0005s'],
    [-60, '-1m'],
  ])('%s seconds is %j', (seconds, text) => expect(formatDuration(seconds)).toBe(text));

  it('writes text the grammar reads back exactly', () => {
    for (const seconds of [0.001, 0.25, 1.1, 59, 61, 3599, 3601, 90_061, 8 * 86_400, 3660 * 86_400, 123_456.789]) {
      expect(readDuration(formatDuration(seconds))).toBe(seconds);
    }
  });
});

describe('formatElapsed', () => {
  it.each([
    [0, '0s'],
    [-5, '0s'],
    [40, '40s'],
    [59.9, '59s'],
    [725, '12m 5s'],
    [7200, '2h'],
    [90_061, '1d 1h'],
    [3 * 86_400 + 4 * 3600 + 59, '3d 4h'],
    [3 * 86_400 + 5, '3d'],
    [20 * 86_400, '20d'],
  ])('%s seconds is %j', (seconds, text) => expect(formatElapsed(seconds)).toBe(text));
});
