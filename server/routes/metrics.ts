/** GET /metrics: ringmon's own counters in Prometheus's text exposition format. */
import type { FastifyPluginAsync } from 'fastify';
import type { StoreStats } from '../store/index.js';

export interface MetricsOptions {
  readonly storeStats: () => StoreStats;
  readonly journalBytes: () => number;
}

type Metric = readonly [name: string, type: 'counter' | 'gauge', help: string, value: (s: StoreStats) => number];

const STORE_METRICS: readonly Metric[] = [
  ['ringmon_samples_ingested_total', 'counter', 'Samples accepted and durable in the journal.', (s) => s.samplesIngested],
  ['ringmon_samples_rejected_total', 'counter', 'Samples refused at ingest (not newer than their series, invalid).', (s) => s.samplesRejected],
  ['ringmon_samples_flushed_total', 'counter', 'Samples written to archives.', (s) => s.samplesFlushed],
  ['ringmon_samples_dropped_total', 'counter', 'Samples an archive refused at flush.', (s) => s.samplesDropped],
  ['ringmon_samples_pending', 'gauge', 'Samples in the journal waiting for their archive.', (s) => s.pending],
  ['ringmon_flushes_total', 'counter', 'Completed write-behind flushes.', (s) => s.flushes],
  ['ringmon_flush_failures_total', 'counter', 'Series updates that failed and were kept pending.', (s) => s.flushFailures],
  ['ringmon_last_flush_seconds', 'gauge', 'Duration of the last flush.', (s) => s.lastFlushMs / 1000],
  ['ringmon_open_archives', 'gauge', 'Archive files kept open.', (s) => s.openArchives],
];

export function exposition(stats: StoreStats, journalBytes: number): string {
  const lines: string[] = [];
  const add = (name: string, type: string, help: string, value: number): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
  };
  for (const [name, type, help, value] of STORE_METRICS) add(name, type, help, value(stats));
  add('ringmon_journal_bytes', 'gauge', 'Bytes of the sample journal on disk.', journalBytes);
  return `${lines.join('\n')}\n`;
}

export const metricsRoutes: FastifyPluginAsync<MetricsOptions> = async (app, options) => {
  app.get('/metrics', { onRequest: app.requireRole('viewer'), schema: { summary: "ringmon's own counters (Prometheus text format)", tags: ['server'] } }, async (_request, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return exposition(options.storeStats(), options.journalBytes());
  });
};
