/**
 * GET /metrics: ringmon's own counters in Prometheus's text exposition
 * format: the store's (with the series drifting now, by kind), the
 * journal's size, the Graphite listener's lines when it runs and, when the
 * server runs alarms, the alarm engine's commits the database refused and
 * the transitions it folded away past `alarms.maxPendingTransitions`, and
 * the nodes in each state (ringmon_nodes{state}).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { EngineStats } from '../alarms/index.js';
import type { PlaintextStats } from '../graphite/plaintext-listener.js';
import type { HttpConnectionStats } from '../http/connection-limits.js';
import { NODE_STATES, type NodeState } from '../nodes/index.js';
import type { FetchStats } from './query.js';
import type { StoreStats } from '../store/index.js';

export interface MetricsOptions {
  readonly storeStats: () => StoreStats;
  readonly journalBytes: () => number;
  /** The alarm engine's counters (AlarmEngine.stats); without it no alarm metrics are shown. */
  readonly alarmStats?: () => EngineStats;
  /** The Graphite listener's counters, or undefined while it does not run. */
  readonly graphiteStats?: () => PlaintextStats | undefined;
  /** The HTTP server's connection counters (server/http/connection-limits.ts). */
  readonly httpStats?: () => HttpConnectionStats;
  /** What GET /api/v1/fetch refused (routes/query.ts). */
  readonly fetchStats?: () => FetchStats;
  /** Nodes in each state now (NodeTracker.counts); without it no node metrics are shown. */
  readonly nodeCounts?: () => Record<NodeState, number>;
}

type Metric<S> = readonly [name: string, type: 'counter' | 'gauge', help: string, value: (s: S) => number];

const STORE_METRICS: readonly Metric<StoreStats>[] = [
  ['ringmon_samples_ingested_total', 'counter', 'Samples accepted and durable in the journal.', (s) => s.samplesIngested],
  ['ringmon_samples_rejected_total', 'counter', 'Samples refused at ingest (not newer than their series, invalid).', (s) => s.samplesRejected],
  ['ringmon_samples_flushed_total', 'counter', 'Samples written to archives.', (s) => s.samplesFlushed],
  ['ringmon_samples_dropped_total', 'counter', 'Samples an archive refused at flush (quarantined).', (s) => s.samplesDropped],
  ['ringmon_samples_quarantined_total', 'counter', 'Acknowledged samples the store can never apply, written to <dataDir>/quarantine/samples.jsonl.', (s) => s.samplesQuarantined],
  ['ringmon_quarantine_rotated_samples_total', 'counter', 'Quarantined samples let go when the quarantine file was rotated past quarantine.maxBytes (each rotation is logged).', (s) => s.quarantineRotatedSamples],
  ['ringmon_quarantine_bytes', 'gauge', 'Bytes of the quarantine files (samples.jsonl and samples.jsonl.1), at most 2 x quarantine.maxBytes.', (s) => s.quarantineBytes],
  ['ringmon_samples_pending', 'gauge', 'Samples in the journal waiting for their archive.', (s) => s.pending],
  ['ringmon_series_reshaped_total', 'counter', 'Series archives reshaped to a new definition keeping their history (admin reshape, archives.adapt).', (s) => s.seriesReshaped],
  ['ringmon_flushes_total', 'counter', 'Completed write-behind flushes.', (s) => s.flushes],
  ['ringmon_flush_failures_total', 'counter', 'Series updates that failed and were kept pending.', (s) => s.flushFailures],
  ['ringmon_last_flush_seconds', 'gauge', 'Duration of the last flush.', (s) => s.lastFlushMs / 1000],
  ['ringmon_open_archives', 'gauge', 'Archive files kept open.', (s) => s.openArchives],
  ['ringmon_series_drift_detected_total', 'counter', "Times a series' samples stopped fitting its archive (drift, each logged once at warn).", (s) => s.driftDetected],
  ['ringmon_disk_free_bytes', 'gauge', "Free bytes of the data directory's file system, as last read: at start, then for a new series at most once a second.", (s) => s.diskFreeBytes],
];

/** One metric family: its HELP and TYPE lines, then its sample lines (the one place that writes the header). */
function family(name: string, type: 'counter' | 'gauge', help: string, samples: readonly string[]): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples];
}

/** One metric with a line per value of its one label. */
function labelled(name: string, type: 'counter' | 'gauge', help: string, label: string, values: readonly (readonly [string, number])[]): string[] {
  return family(name, type, help, values.map(([value, n]) => `${name}{${label}="${value}"} ${n}`));
}

/** Series drifting now, one line per kind (server/store/drift.ts). */
function driftLines(stats: StoreStats): string[] {
  const help =
    'Series whose recent samples do not fit their archive now: kind="slow" arrive further apart than its heartbeat (stored as UNKNOWN), kind="fast" at most a quarter step apart (averaged away).';
  return labelled('ringmon_series_drifting', 'gauge', help, 'kind', [
    ['slow', stats.seriesDriftingSlow],
    ['fast', stats.seriesDriftingFast],
  ]);
}

/** New series refused at the door, one line per reason (server/store/series-admission.ts). */
function refusedLines(stats: StoreStats): string[] {
  const help =
    'New series refused at ingest, once per series per batch: reason="disk" (its archive would pass archives.diskHeadroom), reason="limit" (archives.maxSeries), reason="rate" (archives.maxNewSeriesPerMinute, per token).';
  return labelled('ringmon_series_refused_total', 'counter', help, 'reason', [
    ['disk', stats.seriesRefusedDisk],
    ['limit', stats.seriesRefusedLimit],
    ['rate', stats.seriesRefusedRate],
  ]);
}

const GRAPHITE_METRICS: readonly Metric<PlaintextStats>[] = [
  ['ringmon_graphite_lines_accepted_total', 'counter', 'Graphite plaintext lines stored.', (s) => s.linesAccepted],
  ['ringmon_graphite_lines_invalid_total', 'counter', 'Graphite plaintext lines refused as bad (fields, name, a value not a decimal number, a time before 1980 or too far ahead).', (s) => s.linesInvalid],
  ['ringmon_graphite_samples_rejected_total', 'counter', 'Graphite samples the store refused (not newer than their series, or of a new series it has no room for: ringmon_series_refused_total).', (s) => s.samplesRejected],
  ['ringmon_graphite_connections', 'gauge', 'Graphite connections open now.', (s) => s.connectionsOpen],
  ['ringmon_graphite_connections_over_limit_total', 'counter', 'Graphite connections closed at once because graphite.maxConnections were open.', (s) => s.connectionsOverLimit],
  ['ringmon_graphite_connections_denied_total', 'counter', 'Graphite connections closed at once because their address is not in graphite.allow.', (s) => s.connectionsDenied],
  ['ringmon_graphite_connections_idle_closed_total', 'counter', 'Graphite connections closed after graphite.idleTimeout without a byte.', (s) => s.connectionsIdleClosed],
];

const HTTP_METRICS: readonly Metric<HttpConnectionStats>[] = [
  ['ringmon_http_connections_over_limit_total', 'counter', 'HTTP connections closed at once because listen.maxConnections were open.', (s) => s.overLimit],
  ['ringmon_http_closed_unread_total', 'counter', 'HTTP answers sent before their request body had arrived (a refused token, a body too large), whose connection was then closed.', (s) => s.closedUnread],
  ['ringmon_http_requests_timed_out_total', 'counter', 'HTTP requests cut with a 408: headers not in within listen.headersTimeout, or the whole request not within listen.requestTimeout.', (s) => s.timedOut],
];

const FETCH_METRICS: readonly Metric<FetchStats>[] = [
  ['ringmon_fetches_refused_total', 'counter', 'Fetches refused with a 400 before a row was read: past limits.fetchMaxRows, or outside the bounds of the query (times, range, points, series).', (s) => s.refused],
];

const ALARM_METRICS: readonly Metric<EngineStats>[] = [
  ['ringmon_alarm_commit_failures_total', 'counter', 'Alarm commits the database refused; their transitions wait and are tried again at every tick.', (s) => s.commitFailures],
  [
    'ringmon_alarm_transitions_dropped_total',
    'counter',
    "Alarm transitions folded away (each series' waiting ones into one) while more than alarms.maxPendingTransitions waited.",
    (s) => s.dropped,
  ],
  [
    'ringmon_alarm_transitions_inhibited_total',
    'counter',
    'Alarm transitions recorded but not told because the node their series hangs on (its own, or a nodes.dependencies one) was late or down.',
    (s) => s.inhibited,
  ],
  ['ringmon_alarm_transitions_pending', 'gauge', 'Alarm transitions waiting for a commit.', (s) => s.queued],
  ['ringmon_alarm_transitions_pending_limit', 'gauge', 'alarms.maxPendingTransitions: past it, waiting transitions fold.', (s) => s.limit],
];

export function exposition(stats: StoreStats, journalBytes: number, alarms?: EngineStats, graphite?: PlaintextStats, http?: HttpConnectionStats, nodes?: Record<NodeState, number>, fetch?: FetchStats): string {
  const lines: string[] = [];
  // An unlabelled metric (the store's, Graphite's and HTTP's connection counters, ...): one sample line.
  const add = (name: string, type: 'counter' | 'gauge', help: string, value: number): void => {
    lines.push(...family(name, type, help, [`${name} ${value}`]));
  };
  for (const [name, type, help, value] of STORE_METRICS) add(name, type, help, value(stats));
  lines.push(...driftLines(stats), ...refusedLines(stats));
  add('ringmon_journal_bytes', 'gauge', 'Bytes of the sample journal on disk.', journalBytes);
  if (graphite !== undefined) for (const [name, type, help, value] of GRAPHITE_METRICS) add(name, type, help, value(graphite));
  if (http !== undefined) for (const [name, type, help, value] of HTTP_METRICS) add(name, type, help, value(http));
  if (fetch !== undefined) for (const [name, type, help, value] of FETCH_METRICS) add(name, type, help, value(fetch));
  if (alarms !== undefined) for (const [name, type, help, value] of ALARM_METRICS) add(name, type, help, value(alarms));
  if (nodes !== undefined) {
    const help = 'Nodes (agents) in each state now: up, late (no heartbeat for nodes.heartbeatInterval x nodes.graceFactor), down (none for nodes.downAfter).';
    lines.push(...labelled('ringmon_nodes', 'gauge', help, 'state', NODE_STATES.map((s) => [s, nodes[s]] as const)));
  }
  return `${lines.join('\n')}\n`;
}

export const metricsRoutes: FastifyPluginAsync<MetricsOptions> = async (app, options) => {
  app.get('/metrics', { onRequest: app.requireRole('viewer'), schema: { summary: "ringmon's own counters (Prometheus text format)", tags: ['server'] } }, async (_request, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return exposition(options.storeStats(), options.journalBytes(), options.alarmStats?.(), options.graphiteStats?.(), options.httpStats?.(), options.nodeCounts?.(), options.fetchStats?.());
  });
};
