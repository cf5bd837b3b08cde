/**
 * Scrapes a Prometheus text-exposition endpoint (format 0.0.4). Counters,
 * and the `_count`, `_sum` and `_bucket` of histograms and summaries, become
 * DCOUNTER series; gauges, untyped samples and summary quantiles GAUGE.
 * DCOUNTER, not COUNTER: Prometheus counters are floats
 * (`process_cpu_seconds_total` 12.34) and fall to 0 when the process
 * restarts, which DCOUNTER takes as a reset (one unknown step) where
 * COUNTER would assume a 32-bit wrap and record a huge rate.
 * Series names: `<metric>.<label>.<value>...` in label-name order (see
 * prometheusSeriesName). Histogram buckets are left out unless asked for,
 * since each bucket is a series of its own.
 *
 *     slurper: prometheus
 *     options: { url: http://127.0.0.1:9100/metrics, match: [node_load*, node_filesystem_avail_bytes] }
 *     → node_load1, node_filesystem_avail_bytes.device._dev_sda1.fstype.ext4.mountpoint._, ...
 */
import { defineSlurper, Type, type CollectedSample } from '../contract.js';
import { getText } from './formats/http-get.js';
import { parsePrometheusText, prometheusSeriesName, type MetricFamily, type PrometheusSample } from './formats/prometheus-text.js';
import { admitSamples } from './formats/series-name.js';

/** A metric-name glob (`*` any run of characters, `?` one) as a whole-name regex. */
function globRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/gu, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${body}$`, 'u');
}

function isCounter(family: MetricFamily, sample: PrometheusSample): boolean {
  if (family.type === 'counter') return true;
  return (family.type === 'histogram' || family.type === 'summary') && sample.name !== family.name;
}

export default defineSlurper({
  name: 'prometheus',
  description: 'Scrapes a Prometheus text endpoint: counters become DCOUNTER series, gauges and untyped GAUGE.',
  options: Type.Object({
    url: Type.String({ pattern: '^https?://', 'x-expected': 'an http:// or https:// URL', description: 'The endpoint, e.g. http://127.0.0.1:9100/metrics.' }),
    match: Type.Array(Type.String({ minLength: 1 }), { default: [], description: 'Metric-name globs; a family is kept when one matches (all when empty).' }),
    buckets: Type.Boolean({ default: false, description: 'Keep histogram _bucket series.' }),
    tokenFile: Type.Optional(Type.String({ description: 'A file holding a bearer token, read at every run.' })),
    timeoutSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "The scrape's own time limit, within the run's." })),
    maxSeries: Type.Integer({ minimum: 1, default: 2000, description: 'More series than this are left out (and logged).' }),
  }, { additionalProperties: false }),

  async collect(ctx, options) {
    const { text, contentType } = await getText(ctx, { ...options, accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1' });
    if (contentType !== '' && !/^text\/plain|^application\/openmetrics-text/u.test(contentType)) {
      throw new Error(`GET ${options.url}: answered ${contentType}, not Prometheus text`);
    }

    const { families, problems } = parsePrometheusText(text);
    for (const problem of problems.slice(0, 10)) ctx.log.warn(`${options.url}: ${problem}`);
    const globs = options.match.map(globRegExp);
    const wanted = (name: string) => globs.length === 0 || globs.some((g) => g.test(name));

    const samples: CollectedSample[] = [];
    for (const family of families) {
      for (const sample of family.samples) {
        if (!wanted(family.name) && !wanted(sample.name)) continue;
        if (family.type === 'histogram' && sample.name.endsWith('_bucket') && !options.buckets) continue;
        const counter = isCounter(family, sample);
        // NaN and ±Inf are not values the archive keeps, nor is a negative counter.
        const value = !Number.isFinite(sample.value) || (counter && sample.value < 0) ? null : sample.value;
        const { timestampMs } = sample;
        samples.push({
          series: prometheusSeriesName(sample),
          value,
          ...(counter ? { kind: 'DCOUNTER' as const } : {}),
          // A time at or before the epoch is not one the host takes; the run's time stands in.
          ...(timestampMs !== undefined && timestampMs > 0 ? { time: timestampMs / 1000 } : {}),
        });
      }
    }
    const admitted = admitSamples(samples, ctx.instance, (why) => ctx.log.warn(`${options.url}: ${why}`));
    if (admitted.length > options.maxSeries) ctx.log.warn(`${options.url}: ${admitted.length} series, more than maxSeries ${options.maxSeries}; the rest are left out`);
    return admitted.slice(0, options.maxSeries);
  },
});
