import { describe, expect, it } from 'vitest';
import { formatByteSize, parseByteSize, readByteSize } from '../../lib/byte-size.js';

describe('readByteSize', () => {
  it.each([
    ['65536', 65_536],
    ['0', 0],
    ['10k', 10_000],
    ['10K', 10_000],
    ['10KB', 10_000],
    ['10KiB', 10_240],
    ['64 KiB', 65_536],
    ['64MB', 64_000_000],
    ['64mb', 64_000_000],
    ['64M', 64_000_000],
    ['256MiB', 256 * 2 ** 20],
    ['1GB', 1e9],
    ['2GiB', 2 * 2 ** 30],
    ['1T', 1e12],
    ['1TiB', 2 ** 40],
    ['1.5MiB', 1.5 * 2 ** 20],
    ['100B', 100],
  ])('%j is %s bytes', (text, bytes) => expect(readByteSize(text)).toBe(bytes));

  it.each([
    ['lots', /is not a size/],
    ['', /is not a size/],
    ['-1k', /is not a size/],
    ['10XB', /unknown unit 'XB'/],
    ['1e30', /not a size/],
    ['99999999999TiB', /out of range/],
  ])('%j is refused: %s', (text, problem) => expect(readByteSize(text)).toMatch(problem));
});

describe('parseByteSize', () => {
  it('takes finite numbers as bytes and gives undefined for what does not read', () => {
    expect([parseByteSize(1024), parseByteSize('1k'), parseByteSize(NaN), parseByteSize('lots')]).toEqual([1024, 1000, undefined, undefined]);
  });
});

describe('formatByteSize', () => {
  it.each([
    [0, '0B'],
    [1000, '1000B'],
    [1024, '1KiB'],
    [65_536, '64KiB'],
    [10 * 2 ** 20, '10MiB'],
    [2 ** 30, '1GiB'],
    [3 * 2 ** 40, '3TiB'],
  ])('%s bytes is %j', (bytes, text) => expect(formatByteSize(bytes)).toBe(text));

  it('writes text the grammar reads back exactly', () => {
    for (const bytes of [1, 1536, 2 ** 20 + 1, 5 * 2 ** 30]) expect(readByteSize(formatByteSize(bytes))).toBe(bytes);
  });
});
