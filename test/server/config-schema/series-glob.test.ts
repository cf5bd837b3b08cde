/** Series patterns: * within a segment, ** across whole segments, and the patterns refused. */
import { describe, expect, it } from 'vitest';
import { checkSeriesGlob, seriesGlob } from '../../../server/config-schema/index.js';

const matches = (pattern: string, name: string): boolean => seriesGlob(pattern).test(name);

describe('seriesGlob', () => {
  it('* matches within one segment, including nothing', () => {
    expect(matches('host.*.cpu', 'host.web01.cpu')).toBe(true);
    expect(matches('host.*.cpu', 'host.web01.disk.cpu')).toBe(false);
    expect(matches('host.*.cpu', 'host.cpu')).toBe(false);
    expect(matches('host.web*.cpu', 'host.web.cpu')).toBe(true);
    expect(matches('host.web*.cpu', 'host.web01.cpu')).toBe(true);
    expect(matches('host.*01.cpu', 'host.web01.cpu')).toBe(true);
    expect(matches('host.*01.cpu', 'host.web02.cpu')).toBe(false);
  });

  it('** matches one or more whole segments', () => {
    expect(matches('host.**', 'host.a')).toBe(true);
    expect(matches('host.**', 'host.a.b.c')).toBe(true);
    expect(matches('host.**', 'host')).toBe(false);
    expect(matches('**.latency', 'app.x.y.latency')).toBe(true);
    expect(matches('**.latency', 'latency')).toBe(false);
    expect(matches('a.**.b', 'a.x.b')).toBe(true);
    expect(matches('a.**.b', 'a.x.y.b')).toBe(true);
    expect(matches('a.**.b', 'a.b')).toBe(false);
    expect(matches('**', 'anything')).toBe(true);
    expect(matches('**', 'any.thing.at.all')).toBe(true);
  });

  it('everything else matches itself, whole and case-sensitive', () => {
    expect(matches('host.web-01.cpu_user', 'host.web-01.cpu_user')).toBe(true);
    expect(matches('host.web01', 'host.web01.cpu')).toBe(false);
    expect(matches('web01.cpu', 'host.web01.cpu')).toBe(false);
    expect(matches('host.web01', 'Host.web01')).toBe(false);
    // The dot is a separator, not a regex wildcard.
    expect(matches('a.b', 'aXb')).toBe(false);
  });

  it('throws for a pattern checkSeriesGlob refuses', () => {
    expect(() => seriesGlob('a..b')).toThrow("series pattern 'a..b': 'a..b' has an empty segment");
  });
});

describe('checkSeriesGlob', () => {
  it('accepts patterns of name characters, dots and stars', () => {
    for (const pattern of ['a', 'host.*.cpu.**', '**', '*', 'a-b_c.*x*.**']) expect(checkSeriesGlob(pattern)).toBeUndefined();
  });

  it('refuses other syntaxes, empty segments and ** inside a segment', () => {
    expect(checkSeriesGlob('')).toBe('must not be empty');
    expect(checkSeriesGlob('host.{a,b}')).toBe("'{' is not allowed in a pattern; use A-Z a-z 0-9 _ - in dotted segments, * within a segment and ** for whole segments");
    expect(checkSeriesGlob('host.?')).toMatch(/^'\?' is not allowed/);
    expect(checkSeriesGlob('host/cpu')).toMatch(/^'\/' is not allowed/);
    expect(checkSeriesGlob('.host')).toBe("'.host' has an empty segment (a dot at the start or end, or two dots in a row)");
    expect(checkSeriesGlob('host.')).toMatch(/empty segment/);
    expect(checkSeriesGlob('a**.b')).toBe("'a**': ** must be a whole segment, as in host.**.cpu");
    expect(checkSeriesGlob('***')).toBe("'***': ** must be a whole segment, as in host.**.cpu");
  });

  it('refuses more than 4 ** segments, more than 128 segments and more than 1024 characters', () => {
    expect(checkSeriesGlob('**.**.**.**.zz')).toBeUndefined();
    expect(checkSeriesGlob('**.**.**.**.**.zz')).toBe('has 5 ** segments; the limit is 4');
    expect(checkSeriesGlob(Array(129).fill('a').join('.'))).toBe('has 129 segments; the limit is 128');
    expect(checkSeriesGlob('a'.repeat(1025))).toBe('is 1025 characters long; the limit is 1024');
  });

  it('leaves the limits to the doors: seriesGlob compiles a stored pattern over them', () => {
    expect(seriesGlob('**.**.**.**.**.**.zz').test('a.b.c.d.e.f.zz')).toBe(true);
  });
});
