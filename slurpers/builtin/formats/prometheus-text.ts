/**
 * Prometheus's text exposition format 0.0.4 (prometheus/docs,
 * content/docs/instrumenting/exposition_formats.md):
 *
 *     # HELP name docstring            (escapes \\ and \n)
 *     # TYPE name counter|gauge|histogram|summary|untyped
 *     name{label="value",...} value [timestamp-ms]
 *
 * Label values escape \\, \" and \n. Values are Go floats, with NaN, +Inf and
 * -Inf. A histogram family `x` owns `x_bucket{le=...}`, `x_sum` and
 * `x_count`; a summary owns `x{quantile=...}`, `x_sum` and `x_count`. A
 * sample no TYPE line claims is untyped, in a family of its own name.
 */
import { seriesSegment } from './series-name.js';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface PrometheusSample {
  readonly name: string;
  /** In the order written. */
  readonly labels: ReadonlyArray<readonly [string, string]>;
  readonly value: number;
  readonly timestampMs?: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help?: string;
  readonly samples: PrometheusSample[];
}

const TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/u;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/u;
const FLOAT = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/u;
const SPECIAL: Readonly<Record<string, number>> = { NaN: NaN, '+Inf': Infinity, Inf: Infinity, '-Inf': -Infinity };

export function parsePrometheusText(text: string): { families: MetricFamily[]; problems: string[] } {
  const families = new Map<string, { name: string; type: MetricType; help?: string; samples: PrometheusSample[] }>();
  const problems: string[] = [];
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: 'untyped', samples: [] }));
    return f;
  };
  for (const [index, line] of text.split('\n').entries()) {
    const where = `line ${index + 1}`;
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\s+(.*))?$/u.exec(trimmed);
      if (!m) continue; // an ordinary comment
      const f = family(m[2]);
      const rest = m[3] ?? '';
      if (m[1] === 'HELP') f.help = rest.replace(/\\(\\|n)/gu, (_, c: string) => (c === 'n' ? '\n' : '\\'));
      else if (TYPES.has(rest)) f.type = rest as MetricType;
      else problems.push(`${where}: unknown metric type ${JSON.stringify(rest)}`);
      continue;
    }
    const sample = parseSample(trimmed);
    if (typeof sample === 'string') { problems.push(`${where}: ${sample}`); continue; }
    family(familyName(sample, families)).samples.push(sample);
  }
  return { families: [...families.values()].filter((f) => f.samples.length > 0), problems };
}

/** The family a sample belongs to: a histogram or summary claims its suffixed names. */
function familyName(sample: PrometheusSample, families: ReadonlyMap<string, { type: MetricType }>): string {
  const suffixes: Record<string, readonly string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] };
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sample.name.endsWith(suffix)) continue;
    const base = sample.name.slice(0, -suffix.length);
    if (suffixes[families.get(base)?.type ?? '']?.includes(suffix)) return base;
  }
  return sample.name;
}

/** One sample line, or the reason it cannot be read. */
function parseSample(line: string): PrometheusSample | string {
  const name = NAME.exec(line)?.[0];
  if (!name) return 'does not start with a metric name';
  let rest = line.slice(name.length).trimStart();
  const labels: [string, string][] = [];
  if (rest.startsWith('{')) {
    rest = rest.slice(1).trimStart();
    while (!rest.startsWith('}')) {
      const labelName = LABEL_NAME.exec(rest)?.[0];
      if (!labelName) return 'label name expected';
      rest = rest.slice(labelName.length).trimStart();
      const open = /^=\s*"/u.exec(rest);
      if (!open) return `label ${labelName}: ="value" expected`;
      rest = rest.slice(open[0].length);
      let value = '';
      let i = 0;
      for (; i < rest.length && rest[i] !== '"'; i++) {
        if (rest[i] !== '\\') { value += rest[i]; continue; }
        const c = rest[++i];
        value += c === 'n' ? '\n' : c ?? '';
      }
      if (i >= rest.length) return `label ${labelName}: unterminated value`;
      labels.push([labelName, value]);
      rest = rest.slice(i + 1).trimStart();
      if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
      else if (!rest.startsWith('}')) return 'expected "," or "}" after a label';
    }
    rest = rest.slice(1);
  }
  const [valueText, timestampText, extra] = rest.trim().split(/\s+/u);
  if (valueText === undefined || valueText === '') return 'value missing';
  const value = valueText in SPECIAL ? SPECIAL[valueText] : FLOAT.test(valueText) ? Number(valueText) : undefined;
  if (value === undefined) return `value ${JSON.stringify(valueText)} is not a float`;
  if (timestampText !== undefined && !/^-?\d+$/u.test(timestampText)) return `timestamp ${JSON.stringify(timestampText)} is not integer milliseconds`;
  if (extra !== undefined) return 'text after the timestamp';
  return { name, labels, value, ...(timestampText === undefined ? {} : { timestampMs: Number(timestampText) }) };
}

/**
 * The series name of a sample: the metric name, then each label as two
 * segments, name and value, in label-name order (`http_requests_total.code.200.method.get`),
 * so the same labels in another order give the same series. Colons in metric
 * names and every character outside A-Z a-z 0-9 _ - in label values become `_`.
 */
export function prometheusSeriesName(sample: PrometheusSample): string {
  const labels = [...sample.labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [sample.name, ...labels.flat()].map(seriesSegment).join('.');
}
