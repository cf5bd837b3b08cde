/**
 * The text-exposition parser against the format document's own example,
 * and a round trip: any families written as the format says read back as
 * written (labels with escapes, NaN and ±Inf, timestamps, histograms).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText, prometheusSeriesName, type MetricFamily, type MetricType } from '../../../../slurpers/builtin/formats/prometheus-text.js';
import { isSeriesName } from '../../../../slurpers/contract.js';

// From prometheus/docs, content/docs/instrumenting/exposition_formats.md ("Text format example").
const EXAMPLE = String.raw`# HELP http_requests_total The total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3 1395066363000

# Escaping in label values:
msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9

# Minimalistic line:
metric_without_timestamp_and_labels 12.47

# A weird metric from before the epoch:
something_weird{problem="division by zero"} +Inf -3982045

# A histogram, which has a pretty complex representation in the text format:
# HELP http_request_duration_seconds A histogram of the request duration.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.05"} 24054
http_request_duration_seconds_bucket{le="0.1"} 33444
http_request_duration_seconds_bucket{le="+Inf"} 144320
http_request_duration_seconds_sum 53423
http_request_duration_seconds_count 144320

# Finally a summary, which has a complex representation, too:
# HELP rpc_duration_seconds A summary of the RPC duration in seconds.
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{quantile="0.01"} 3102
rpc_duration_seconds{quantile="0.99"} 76656
rpc_duration_seconds_sum 1.7560473e+07
rpc_duration_seconds_count 2693
`;

describe('the format document example', () => {
  const { families, problems } = parsePrometheusText(EXAMPLE);

  it('reads every family with its type, help and samples', () => {
    expect(problems).toEqual([]);
    expect(families.map((f) => [f.name, f.type, f.samples.length])).toEqual([
      ['http_requests_total', 'counter', 2],
      ['msdos_file_access_time_seconds', 'untyped', 1],
      ['metric_without_timestamp_and_labels', 'untyped', 1],
      ['something_weird', 'untyped', 1],
      ['http_request_duration_seconds', 'histogram', 5],
      ['rpc_duration_seconds', 'summary', 4],
    ]);
    expect(families[0]).toMatchObject({ help: 'The total number of HTTP requests.' });
    expect(families[0].samples[1]).toEqual({ name: 'http_requests_total', labels: [['method', 'post'], ['code', '400']], value: 3, timestampMs: 1395066363000 });
    expect(families[1].samples[0].labels).toEqual([['path', 'C:\\DIR\\FILE.TXT'], ['error', 'Cannot find file:\n"FILE.TXT"']]);
    expect(families[3].samples[0]).toMatchObject({ value: Infinity, timestampMs: -3982045 });
    expect(families[5].samples[2]).toEqual({ name: 'rpc_duration_seconds_sum', labels: [], value: 17560473 });
  });

  it('names series by metric, then label names and values in name order', () => {
    const names = families.flatMap((f) => f.samples.map(prometheusSeriesName));
    expect(names).toContain('http_requests_total.code.200.method.post');
    expect(names).toContain('msdos_file_access_time_seconds.error.Cannot_find_file___FILE_TXT_.path.C__DIR_FILE_TXT');
    expect(names).toContain('http_request_duration_seconds_bucket.le.0_05');
    expect(names).toContain('http_request_duration_seconds_bucket.le._Inf');
    expect(names).toContain('rpc_duration_seconds.quantile.0_99');
    for (const name of names) expect(isSeriesName(name), name).toBe(true);
  });
});

describe('faults', () => {
  it('reports a broken line by number and keeps the rest', () => {
    const { families, problems } = parsePrometheusText('a 1\nb{x="1" 2\nc{x="unterminated} 3\nd one\ne 1 2 3\n# TYPE f bogus\ng{x="1",} 4\n');
    expect(families.map((f) => f.name)).toEqual(['a', 'g']);
    expect(problems).toEqual([
      'line 2: expected "," or "}" after a label',
      'line 3: label x: unterminated value',
      'line 4: value "one" is not a float',
      'line 5: text after the timestamp',
      'line 6: unknown metric type "bogus"',
    ]);
  });
});

describe('round trip', () => {
  const escapeLabel = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  const formatValue = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : Object.is(v, -0) ? '-0' : String(v));
  const SUFFIXES: Record<MetricType, readonly string[]> = { counter: [''], gauge: [''], untyped: [''], histogram: ['_bucket', '_sum', '_count'], summary: ['', '_sum', '_count'] };

  // Family names without '_', so that no family's name is another's suffixed sample name.
  const familyName = fc.stringMatching(/^[a-zA-Z:][a-zA-Z0-9:]{0,8}$/);
  const labels = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,6}$/), fc.string({ maxLength: 12 })), { selector: ([k]) => k, maxLength: 3 });
  const family = fc.record({ type: fc.constantFrom<MetricType>('counter', 'gauge', 'untyped', 'histogram', 'summary'), help: fc.option(fc.string({ maxLength: 30 }).map((s) => s.trim())) });
  const sample = fc.record({ suffix: fc.nat(2), labels, value: fc.double(), timestampMs: fc.option(fc.integer({ min: -1e12, max: 1e13 })) });

  it('parse(format(families)) gives the families back', () => {
    fc.assert(fc.property(fc.uniqueArray(familyName, { maxLength: 4 }), fc.array(family, { minLength: 4, maxLength: 4 }), fc.array(fc.array(sample, { minLength: 1, maxLength: 4 }), { minLength: 4, maxLength: 4 }), (names, meta, samples) => {
      const expected: MetricFamily[] = names.map((name, i) => ({
        name, type: meta[i].type, ...(meta[i].help ? { help: meta[i].help } : {}),
        samples: samples[i].map((s) => {
          const suffixes = SUFFIXES[meta[i].type];
          return { name: name + suffixes[s.suffix % suffixes.length], labels: s.labels, value: s.value, ...(s.timestampMs === null ? {} : { timestampMs: s.timestampMs }) };
        }),
      }));
      const text = expected.map((f) => [
        ...(f.help ? [`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`] : []),
        `# TYPE ${f.name} ${f.type}`,
        ...f.samples.map((s) => `${s.name}${s.labels.length ? `{${s.labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : ''} ${formatValue(s.value)}${s.timestampMs === undefined ? '' : ` ${s.timestampMs}`}`),
      ].join('\n')).join('\n');
      const parsed = parsePrometheusText(text);
      expect(parsed.problems).toEqual([]);
      expect(parsed.families).toEqual(expected);
    }));
  });

  it('never throws, whatever an endpoint answers', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'a_{}="\\,\n #1.e+-InfNaHELPTYPE'.split('')), maxLength: 80 }), (text) => {
      const { families } = parsePrometheusText(text);
      for (const f of families) for (const s of f.samples) expect(typeof s.value).toBe('number');
    }));
  });

  it('series names are valid and do not depend on label order', () => {
    fc.assert(fc.property(familyName, labels, (name, ls) => {
      const a = prometheusSeriesName({ name, labels: ls, value: 1 });
      expect(isSeriesName(a)).toBe(true);
      expect(prometheusSeriesName({ name, labels: [...ls].reverse(), value: 1 })).toBe(a);
    }));
  });
});
