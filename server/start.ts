/**
 * Starting and stopping the server from a validated configuration: the one
 * place that listens. Used by `ringmon serve` and by tests that run the
 * whole server.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { AgentRegistry, AGENTS_FILE } from './agents/index.js';
import { NodeTracker } from './nodes/index.js';
import { checkNodeRecipients } from './nodes/config-section.js';
import { startNodeSeries } from './nodes/node-series.js';
import { startComputed } from './computed/index.js';
import { AlarmEngine, nodeKey, type AlarmView } from './alarms/index.js';
import { buildApp, REDACTED_LOG_PATHS } from './app.js';
import { LOG_SERIALIZERS } from './http/log-serializers.js';
import { compileFeeds } from './feeds/index.js';
import { tokenFileResolver } from './auth/token-file.js';
import type { Principal } from './auth/token-file.js';
import type { ServerConfig } from './config/index.js';
import { claimDataDir, type StartClaim } from './data-dir/index.js';
import { DATABASE_FILE, databaseFileError, openSqlite } from './database/index.js';
import { Dashboards } from './dashboards/index.js';
import { downtimeLimits, Downtimes } from './downtimes/index.js';
import { allowList } from './graphite/config-section.js';
import { PlaintextListener } from './graphite/plaintext-listener.js';
import { SampleJournal } from './journal/index.js';
import { MetadataSource } from './metadata/index.js';
import { checkContacts, checkTemplateTargets } from './notify/destinations.js';
import { Notifier } from './notify/index.js';
import { graphLink } from '../lib/public-url.js';
import { noReload, reloader, type ReloadOutcome, type ReloadSource } from './reload/reloader.js';
import { plannedDowntimesOf, reportHeatmapSource, startReports, type AlarmEntry } from './reports/index.js';
import { InstanceRuns } from './slurpers/instance-runs.js';
import { startSlurpers } from './slurpers/run-slurpers.js';
import { statusPage } from './status/index.js';
import { archiveRoom, describeArchiveRoom, FEW_SERIES_LEFT, SeriesStore, type SeriesReader, type Store } from './store/index.js';
import { SeriesUnits } from './units/index.js';

export interface RunningServer {
  readonly app: FastifyInstance;
  /** The Graphite plaintext listener, when enabled. */
  readonly graphite: PlaintextListener | undefined;
  /** http://host:port as bound (port 0 in tests becomes the real port). */
  readonly url: string;
  /** Stops accepting requests, finishes those in flight, flushes and closes everything. Safe to call twice. */
  close(): Promise<void>;
  /** Re-reads the config file (SIGHUP, POST /api/v1/admin/reload; server/reload/reloader.ts); never rejects for a bad file. */
  reload(): Promise<ReloadOutcome>;
}

export interface StartOptions {
  readonly version?: string;
  /** Where logs go; default stdout. */
  readonly logStream?: NodeJS.WritableStream;
  /** The file a reload re-reads; without it (a config built in code) a reload answers that there is none. */
  readonly reloadFrom?: ReloadSource;
}

/**
 * The token check. The file is read at start, so a file readable by others
 * stops the server (TokenFileError); a missing file is allowed, so a new
 * installation starts, and is picked up once `ringmon token add` creates it.
 */
function tokenResolver(path: string): { resolve: (token: string) => Principal | undefined; present: boolean } {
  if (existsSync(path)) return { resolve: tokenFileResolver(path), present: true };
  let resolver: ((token: string) => Principal | undefined) | undefined;
  return {
    present: false,
    resolve: (token) => {
      if (!resolver && existsSync(path)) resolver = tokenFileResolver(path);
      return resolver?.(token);
    },
  };
}

/**
 * Starts the server on `config.dataDir`, which it creates if missing and
 * locks (DataDirLockedError: another server runs on it). A start that
 * fails closes what it opened and removes what it created there
 * (server/data-dir/start-claim.ts); a failure of the database file throws
 * DatabaseFileError, whose message names the file and the fix.
 */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const claim = await claimDataDir(config.dataDir);
  let server: RunningServer;
  try {
    server = await startClaimed(config, options, claim);
  } catch (e) {
    throw await claim.abandon(databaseFileError(join(config.dataDir, DATABASE_FILE), e) ?? e);
  }
  let closing: Promise<void> | undefined;
  return { ...server, close: () => (closing ??= server.close().finally(() => claim.release())) };
}

async function startClaimed(config: ServerConfig, options: StartOptions, claim: StartClaim): Promise<RunningServer> {
  const tokens = tokenResolver(config.auth.tokensFile);
  // One logger from the start, so what happens before the app exists (journal replay) is logged too.
  const log = pino({ level: config.log.level, redact: REDACTED_LOG_PATHS, serializers: LOG_SERIALIZERS }, options.logStream ?? process.stdout);
  const journal = await SampleJournal.open(join(config.dataDir, 'journal'));
  claim.onFailure(() => journal.close());
  const store: Store = await SeriesStore.open({ config, journal, log });
  claim.onFailure(() => store.close());
  const databaseFile = join(config.dataDir, DATABASE_FILE);
  // One connection for every part that keeps tables there (server/database/sqlite.ts says why).
  const database = openSqlite<object>(databaseFile);
  claim.onFailure(() => database.destroy());
  const downtimes = await Downtimes.open(database, downtimeLimits(config.downtimes));
  claim.onFailure(() => downtimes.close());
  const units = await SeriesUnits.open({ database, rules: config.units, log: log.child({ part: 'units' }) });
  claim.onFailure(() => units.close());
  // On the shared connection: closing the database closes it.
  const dashboards = await Dashboards.open(database, config.dashboards.maxStored);
  const agents = AgentRegistry.open(join(config.dataDir, AGENTS_FILE), { log, ...config.agents });
  claim.onFailure(() => agents.close());
  const { heartbeatInterval, graceFactor, downAfter } = config.nodes;
  // Started once the alarm engine is open: every change, the first look's too, is a node-down alarm's and inhibition's input.
  // The server's own slurper instances are nodes too (their targets), from their runs.
  const instanceRuns = new InstanceRuns();
  const nodes = new NodeTracker({ agents: () => agents.list(), instances: () => instanceRuns.list(), thresholds: { lateAfter: heartbeatInterval * graceFactor, downAfter }, graceFactor, onChange: (change) => alarms.nodeChanged(change) });
  claim.onFailure(() => nodes.stop());
  // Checks the recipients against notify.email and reads the mail and webhook secrets: a problem stops the start.
  const notifier = await Notifier.open({
    file: database,
    notify: config.notify,
    recipients: config.alarms.recipients,
    groupWaitSeconds: config.alarms.groupWait,
    log: log.child({ part: 'notify' }),
  });
  claim.onFailure(() => notifier.close());
  // Links only with alarms.publicUrl: the listen address is rarely what a mail reader reaches (lib/public-url.ts).
  const publicUrl = config.alarms.publicUrl;
  checkNodeRecipients(config.nodes, config.alarms.recipients);
  checkContacts(config.alarms.rules, config.notify);
  checkTemplateTargets(config.notify, config.alarms);
  // A bad mapping file stops the start (ConfigError naming metadata.file); a later one is refused and logged, the metadata in force kept.
  const metadata = MetadataSource.open(config.metadata, log.child({ part: 'metadata' }));
  claim.onFailure(() => metadata.stop());
  const alarms = await AlarmEngine.open({
    metadata: () => metadata.snapshot(),
    file: database,
    alarms: config.alarms,
    maxPendingTransitions: config.alarms.maxPendingTransitions,
    downtimes,
    notices: notifier,
    agentOf: (series) => agents.agentOf(series),
    nodes: config.nodes,
    // A node by its key: an instance's is instance:<name>, so an agent of the same name is another node.
    nodeOf: (series) => {
      const agent = agents.agentOf(series);
      if (agent !== undefined) return agent;
      const instance = instanceRuns.nodeOf(series);
      return instance === undefined ? undefined : nodeKey('instance', instance);
    },
    messageOf: (series) => store.lastMessage(series),
    unitOf: (series) => units.unitOf(series),
    log: log.child({ part: 'alarms' }),
    graphUrl: (series) => graphLink(publicUrl, series),
  });
  claim.onFailure(() => alarms.close());
  // Returned, so a batch whose labels changed a node is judged after the rules are compiled again (MetadataSource.offerLabels).
  metadata.onChange(() => alarms.refreshRules().then((done) => done || log.warn({}, 'metadata: the alarm database is behind; the new metadata applies at its next change or reload')));
  nodes.start();
  const computed = startComputed({ computed: config.computed, archives: config.archives, store, log: log.child({ part: 'computed' }) });
  claim.onFailure(() => computed.stop());
  store.onAccepted((samples) => {
    alarms.observe(samples);
    computed.observe(samples);
  });
  // ringmon.nodes.<node>.up, for computed counts of the nodes up (server/nodes/node-series.ts).
  const nodeSeries = startNodeSeries({ nodes, sink: store, step: heartbeatInterval, wanted: computed.covers, log: log.child({ part: 'nodes' }) });
  claim.onFailure(() => nodeSeries.stop());
  const reports = startReports({
    reports: config.reports,
    recipients: config.alarms.recipients.map((r) => r.name),
    dataDir: config.dataDir,
    // Settled first, so the history holds every change the current states reflect.
    alarms: () => alarms.settle().then(() => alarms.current().map(reportEntry)),
    history: (query) => alarms.history(query),
    plannedDowntimes: plannedDowntimesOf(downtimes, (series) => agents.agentOf(series)),
    deliver: (recipients, report) => notifier.sendReport(recipients, report),
    // A report naming a view heatmaps.views lacks stops the start (ConfigError naming reports[i].heatmaps[j]).
    heatmaps: reportHeatmapSource({ store, metadata: () => metadata.snapshot(), log: log.child({ part: 'reports' }) }, config.heatmaps, config.limits.fetchMaxRows),
    log: log.child({ part: 'reports' }),
  });
  claim.onFailure(() => reports.stop());
  // Slurper files and options are checked here, so a bad one stops the start (ConfigError) before the server listens.
  const slurpers = await startSlurpers(
    config,
    store,
    log.child({ part: 'slurpers' }),
    (series, thresholds) => alarms.offer(series, thresholds),
    instanceRuns,
    (labelled) => metadata.offerLabels(labelled),
    (series, unit) => units.declare(series, unit),
  );
  claim.onFailure(() => slurpers.stop());
  // A stored node-down alarm of a node no longer there (an instance dropped from the config meanwhile) ends.
  alarms.nodesKnown([...agents.list().map((a) => a.name), ...instanceRuns.list().map((i) => nodeKey('instance', i.name))]);
  const reload = options.reloadFrom ? reloader(options.reloadFrom, config, { notifier, alarms, slurpers, metadata }, log.child({ part: 'reload' })) : noReload;
  // Started once the API listens; /metrics shows its counters from then on.
  let graphite: PlaintextListener | undefined;
  const app = await buildApp({
    store,
    downtimes,
    dashboards,
    agents,
    nodes,
    alarms,
    metadata: () => metadata.snapshot(),
    labels: (labelled) => metadata.offerLabels(labelled),
    units,
    notifications: notifier,
    // Token files read now: a bad one stops the start (ConfigError naming feeds[i].tokenFile).
    feeds: { set: compileFeeds(config.feeds, (message) => log.warn({ part: 'feeds' }, `feeds: ${message}; the feed's URL token is refused until the file is fixed`)), publicUrl: config.alarms.publicUrl },
    status: statusPage(config.status, { alarms, nodes, downtimes, agents, metadata: () => metadata.snapshot() }),
    reload,
    reports: { reports, definitions: config.reports, dataDir: config.dataDir },
    heatmaps: config.heatmaps,
    limits: config.limits,
    journalBytes: () => journal.sizeBytes,
    dataDir: config.dataDir,
    graphiteStats: () => graphite?.stats,
    logger: log,
    bodyLimit: config.limits.bodyBytes,
    connections: config.listen,
    version: options.version,
    auth: { resolveToken: tokens.resolve, openReads: config.auth.openReads },
  });
  claim.onFailure(() => app.close());
  if (!tokens.present) {
    app.log.warn(`no token file at ${config.auth.tokensFile}: requests that need a token are refused until one is created with 'ringmon token add NAME --role admin --file ${config.auth.tokensFile}'`);
  }
  const url = await app.listen({ host: config.listen.host, port: config.listen.port });
  seedNodata(store, alarms, log);
  app.log.info({ dataDir: config.dataDir }, `ringmon listening on ${url}`);
  const room = archiveRoom(config);
  if (room.seriesThatFit < FEW_SERIES_LEFT) app.log.warn(room, `${describeArchiveRoom(room)}: free space or choose a shorter retention (archives.default, docs/configuration.md)`);
  else app.log.info(room, describeArchiveRoom(room));
  app.log.info({ downtimes: downtimes.size, migrated: downtimes.migrated, seriesUnits: units.size, unitRules: config.units.length }, `database ${databaseFile} open`);
  app.log.info({ rules: alarms.rules.rules.length, alarmed: alarms.current().length, reports: config.reports.length }, 'alarms running');
  graphite = config.graphite.enabled
    ? await PlaintextListener.listen({
        host: config.graphite.host,
        port: config.graphite.port,
        sink: store,
        log: app.log,
        seriesNameLength: config.limits.seriesNameLength,
        maxFutureSeconds: config.limits.maxFutureSeconds,
        idleTimeoutSeconds: config.graphite.idleTimeout,
        maxConnections: config.graphite.maxConnections,
        allow: config.graphite.allow && allowList(config.graphite.allow),
      })
    : undefined;
  if (graphite) app.log.info(`graphite plaintext protocol on ${config.graphite.host}:${graphite.port}`);
  let closing: Promise<void> | undefined;
  return {
    app,
    graphite,
    url,
    reload,
    close: () => {
      closing ??= (async () => {
        app.log.info('shutting down');
        await graphite?.close();
        await app.close();
        await slurpers.stop();
        await reports.stop();
        nodeSeries.stop();
        computed.stop();
        const pending = store.stats().pending;
        await store.close();
        await journal.close();
        await alarms.close();
        await notifier.close();
        await units.close();
        await downtimes.close();
        await database.destroy();
        nodes.stop();
        metadata.stop();
        await agents.close();
        app.log.info({ flushedAtShutdown: pending }, 'shut down cleanly');
      })();
      return closing;
    },
  };
}

function reportEntry(a: AlarmView): AlarmEntry {
  const d = a.downtime?.downtime;
  return { series: a.series, rule: a.rule, status: a.status, since: a.since, value: a.value, threshold: a.threshold, ...(a.displayName === undefined ? {} : { displayName: a.displayName }), ...(d ? { downtime: { id: d.id, kind: d.kind, reason: d.reason } } : {}) };
}

/**
 * Tells the alarm engine when each series was last heard of before this
 * start, so that one silent since before a restart goes NODATA on time
 * rather than never. Reads every archive's header, so it runs in the
 * background, and only when some rule has `nodata`.
 */
function seedNodata(store: SeriesReader, alarms: AlarmEngine, log: { warn(fields: object, message: string): void }): void {
  if (!alarms.rules.rules.some((r) => r.nodataSeconds !== undefined)) return;
  store.list().then(
    (series) => {
      for (const s of series) alarms.seen(s.series, s.lastUpdate);
    },
    (e: unknown) => log.warn({ err: e }, 'alarms: could not read the series for nodata; series silent since before this start go NODATA only once heard of'),
  );
}
