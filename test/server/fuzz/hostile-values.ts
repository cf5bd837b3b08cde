/**
 * Values a hostile or broken client sends where a field is expected: wrong
 * types, extreme numbers, long and strange strings, traversal, bad globs,
 * deep nesting, huge arrays. Large ones are drawn rarely; none is over a
 * few hundred KB once serialised (oversized bodies are made apart, at send).
 */
import fc from 'fast-check';

const STRANGE_STRINGS = [
  '', ' ', '\u0000', '%00', 'a\u0000b', '\\', '"', "'; DROP TABLE downtimes; --", '<script>alert(1)</script>',
  '../../../../etc/passwd', '..%2F..%2F..%2Fetc%2Fpasswd', '/etc/passwd', 'C:\\Windows\\win.ini', './.', '..', '.',
  '**', '*', '**.**.**.**.**.**.zz', '**.**.**.**.**.**.**.**.**.**.**.**.**.**.zz', '*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*', '[a-', '{a,b', 'a..b', '.a', 'a.',
  '\ud800', '\udfff', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢.𝔰𝔢𝔯𝔦𝔢𝔰', 'é.ü', 'ı', 'ﬃ', '\u202e', '\ufeff', 'a\nb', 'a\r\nb',
  '__proto__', 'constructor', 'prototype', 'toString', 'NaN', 'Infinity', '-Infinity', '1e308', '-1', '0x10', '0b1', '1_000',
  '0001-01-01', '0000-00-00', '9999-12-31T23:59:59Z', '275760-09-13T00:00:00Z', '2026-02-30', '2026-13-01T00:00Z', 'now', 'now-3600', 'now+1e9',
  'Europe/Atlantis', 'FREQ=SECONDLY', 'FREQ=SECONDLY;INTERVAL=1;COUNT=100000000', 'RRA:AVERAGE:0.5:1:999999999', 'RRA:XXX',
];

const EXTREME_NUMBERS = [
  1e308, -1e308, 1.7976931348623157e308, 5e-324, -5e-324, -1, -0, 0, 0.5, 2 ** 31, 2 ** 32, 2 ** 53 + 2, -(2 ** 53) - 2, 1e21, 9999999999, 99999999999999, 1e9, -1e9,
];

/** `depth` levels of arrays or objects around a zero. */
function nested(depth: number, objects: boolean): unknown {
  let value: unknown = 0;
  for (let k = 0; k < depth; k++) value = objects ? { a: value } : [value];
  return value;
}

export const hostileValues: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom<unknown>(...STRANGE_STRINGS), weight: 100 },
  { arbitrary: fc.constantFrom<unknown>(...EXTREME_NUMBERS), weight: 60 },
  { arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], { '': null }, [[[]]]), weight: 40 },
  { arbitrary: fc.double(), weight: 20 },
  { arbitrary: fc.integer(), weight: 10 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 30 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 20 },
  { arbitrary: fc.integer({ min: 100, max: 127 }).map((n) => Array(n).fill('a').join('.')), weight: 10 },
  { arbitrary: fc.integer({ min: 64, max: 4000 }).map((n) => '**.'.repeat(n) + 'zz'), weight: 5 },
  { arbitrary: fc.integer({ min: 256, max: 70_000 }).map((n) => 'a'.repeat(n)), weight: 5 },
  // Large ones rarely: most payloads stay small so that 100,000 fit in a minute.
  { arbitrary: fc.tuple(fc.integer({ min: 100, max: 1500 }), fc.boolean()).map(([d, o]) => nested(d, o)), weight: 2 },
  { arbitrary: fc.integer({ min: 1000, max: 120_000 }).map((n) => new Array<number>(n).fill(0)), weight: 1 },
  { arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((n) => Array.from({ length: n }, (_, k) => `s${k}.x`)), weight: 1 },
);

/** Bodies that are not JSON, or JSON no route expects, as raw text; nesting deeper than JSON.stringify could write. */
export const brokenJsonTexts = fc.oneof(
  { arbitrary: fc.integer({ min: 10_000, max: 100_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)), weight: 1 },
  { arbitrary: fc.integer({ min: 10_000, max: 100_000 }).map((n) => '{"a":'.repeat(n) + '0' + '}'.repeat(n)), weight: 1 },
  { arbitrary: brokenJsonConstants(), weight: 40 },
);

function brokenJsonConstants(): fc.Arbitrary<string> {
  return fc.constantFrom(
  '', '{', '[', '{"a":', '{"series":"a.b","v":1', '[{"series":"a.b","v":1},]', "{'a':1}", 'NaN', 'undefined', '\ufeff{}',
  '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":1,"a":2}', 'null', '0', '"x"', '1e400', '-', '\u0000',
  '[{"series":"a.b","v":1e400}]', '[{"series":"a.b","v":NaN}]', '[{"series":"a.b","v":Infinity}]', '{"name":"\\ud800"}',
  );
}

/** Content types a JSON route should refuse or survive. */
export const badContentTypes = fc.constantFrom(
  'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1',
  'application/json; charset=utf-16', 'application/xml', 'application/octet-stream', 'application/jsonx', 'json', '', ';;;', 'application/json, text/plain',
);

/** Query strings no client should write. */
export const brokenQueries = fc.constantFrom(
  '%', '%zz', '%E0%A4%A', '&&&', '=', '==', 'a[b]=1', '__proto__[x]=1', 'constructor[prototype][x]=1', 'a=1&a=2&a=3', '?', '#x',
  'series=%00', 'series=' + '%2e%2e%2f'.repeat(20), 'limit=1e308', 'limit=-1', 'limit=NaN', 'start=0x10', 'end=1e999',
);

/** Methods beside the documented ones. */
export const otherMethods = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND');
