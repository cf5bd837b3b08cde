/**
 * The series pattern matcher, the server's and the web client's copy: one
 * table run against both, a property test against the RegExp they replace
 * (identical answers on small random names and patterns), and the pattern
 * that took a backtracking RegExp 49 s answering in milliseconds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seriesGlob as serverGlob } from '../../../server/config-schema/index.js';
import { seriesGlob as webGlob } from '../../../web/src/series-glob.js';

/** The RegExp both copies compiled before: the reference for the answers, not for the time. */
function oldRegExp(pattern: string): RegExp {
  const segments = pattern.split('.').map((s) => (s === '**' ? '[^.]+(?:\\.[^.]+)*' : s.replaceAll('*', '[^.]*')));
  return new RegExp(`^${segments.join('\\.')}$`);
}

const matchers = {
  server: (pattern: string, name: string): boolean => serverGlob(pattern).test(name),
  web: (pattern: string, name: string): boolean => {
    const glob = webGlob(pattern);
    if (glob === null) throw new Error(`web refuses ${pattern}`);
    return glob.test(name);
  },
};

const TABLE: ReadonlyArray<readonly [string, string, boolean]> = [
  ['host.*.cpu', 'host.web01.cpu', true],
  ['host.*.cpu', 'host.web01.disk.cpu', false],
  ['host.*.cpu', 'host.cpu', false],
  ['host.web*.cpu', 'host.web.cpu', true],
  ['host.*01.cpu', 'host.web01.cpu', true],
  ['host.*01.cpu', 'host.web02.cpu', false],
  ['*a*b*', 'xaybz', true],
  ['*a*b*', 'xbya', false],
  ['a*a', 'a', false],
  ['a*a', 'aa', true],
  ['*ab*ab', 'abab', true],
  ['*ab*ab', 'aba', false],
  ['host.**', 'host.a', true],
  ['host.**', 'host.a.b.c', true],
  ['host.**', 'host', false],
  ['**.latency', 'app.x.y.latency', true],
  ['**.latency', 'latency', false],
  ['a.**.b', 'a.x.b', true],
  ['a.**.b', 'a.x.y.b', true],
  ['a.**.b', 'a.b', false],
  ['**', 'anything', true],
  ['**', 'any.thing.at.all', true],
  ['**.**', 'a', false],
  ['**.**', 'a.b', true],
  ['**.b.**', 'a.b.c', true],
  ['**.b.**', 'b.c', false],
  ['**.*x.**.y*', 'a.bx.c.d.yz', true],
  ['host.web01', 'host.web01.cpu', false],
  ['host.web01', 'Host.web01', false],
  ['a.b', 'aXb', false],
];

describe.each(Object.entries(matchers))('the %s matcher', (_copy, matches) => {
  it.each(TABLE)('%s against %s is %s', (pattern, name, expected) => {
    expect(matches(pattern, name)).toBe(expected);
    expect(oldRegExp(pattern).test(name)).toBe(expected);
  });

  it('answers as the old RegExp on random names and patterns', () => {
    const segment = fc.stringMatching(/^[ab]{1,3}$/);
    const name = fc.array(segment, { minLength: 1, maxLength: 7 }).map((s) => s.join('.'));
    const patternSegment = fc.oneof(fc.constant('**'), fc.stringMatching(/^[ab*]{1,4}$/).filter((s) => !s.includes('**')));
    const pattern = fc.array(patternSegment, { minLength: 1, maxLength: 5 }).map((s) => s.join('.'));
    fc.assert(
      fc.property(pattern, name, (p, n) => matches(p, n) === oldRegExp(p).test(n)),
      { numRuns: 20_000 },
    );
  });

  it('answers the pattern that took a RegExp 49 s in milliseconds', () => {
    const name = Array.from({ length: 126 }, (_, i) => `s${i % 10}`).join('.');
    const started = performance.now();
    expect(matches('**.**.**.**.**.**.zz', name)).toBe(false);
    expect(matches('**.*.**.*.**.*.**.*.zz', name)).toBe(false);
    expect(matches('*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(200))).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
