/**
 * buildApp: the ringmon HTTP API as a fastify instance, ready to `listen` or
 * to be called with `inject`. It never listens itself; only `ringmon serve`
 * does. Each route group is an encapsulated plugin.
 */
import AjvCompiler from '@fastify/ajv-compiler';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AgentRegistry } from './agents/index.js';
import type { AlarmEngine } from './alarms/index.js';
import { authLogRedaction, authPlugin, type AuthPluginOptions } from './auth/auth-plugin.js';
import type { Downtimes } from './downtimes/index.js';
import type { MetadataSnapshot } from './metadata/index.js';
import type { NodeTracker } from './nodes/index.js';
import { installErrorHandlers } from './errors.js';
import { DEFAULT_LISTEN } from './config/defaults.js';
import { clientErrorAnswer } from './http/client-error-answer.js';
import { finiteNumbersOnly, type Validator } from './http/finite-numbers.js';
import { explainJsonRefusals } from './http/json-body.js';
import { connectionLimits, connectionOptions, type HttpConnectionLimits, type HttpConnectionStats } from './http/connection-limits.js';
import { securityHeaders } from './http/security-headers.js';
import { LOG_SERIALIZERS } from './http/log-serializers.js';
import { downtimeRoutes } from './routes/downtimes.js';
import { adminRoutes } from './routes/admin.js';
import { alarmRoutes } from './routes/alarms.js';
import { feedRoutes } from './routes/feeds.js';
import type { FeedSet } from './feeds/index.js';
import { notificationRoutes, type NotificationLog } from './routes/notifications.js';
import { reportRoutes, type ReportRoutesOptions } from './routes/reports.js';
import { statusRoutes } from './routes/status.js';
import type { StatusPage } from './status/index.js';
import { agentRoutes } from './routes/agents.js';
import { healthRoutes } from './routes/health.js';
import { ingestRoutes } from './routes/ingest.js';
import { metricsRoutes } from './routes/metrics.js';
import { metadataRoutes } from './routes/metadata.js';
import { nodeRoutes } from './routes/nodes.js';
import type { PlaintextStats } from './graphite/plaintext-listener.js';
import { queryRoutes, type FetchStats } from './routes/query.js';
import { heatmapRoutes } from './routes/heatmap.js';
import type { HeatmapsSettings } from './heatmap/index.js';
import { ruleTrialRoutes } from './routes/rule-trial.js';
import { quarantineRoutes } from './routes/quarantine.js';
import { webRoutes, type WebRoutesOptions } from './routes/web.js';
import type { ReloadOutcome } from './reload/reloader.js';
import type { LabelOffer, Store } from './store/index.js';
import type { SeriesUnits } from './units/index.js';

export interface AppOptions {
  /** pino options or an existing logger; false for none (tests). Authorization headers are always redacted. */
  readonly logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
  /** Largest request body in bytes. */
  readonly bodyLimit?: number;
  /** Timeouts (seconds) and the connection cap of the HTTP server (`listen`); default DEFAULT_LISTEN's. */
  readonly connections?: HttpConnectionLimits;
  readonly version?: string;
  /** How tokens are checked; without it every route that requires a role refuses. */
  readonly auth?: AuthPluginOptions;
  /** The series behind the ingest and query API; without it those routes are absent. */
  readonly store?: Store;
  readonly limits?: { readonly samplesPerRequest: number; readonly seriesNameLength: number; readonly maxFutureSeconds?: number; readonly fetchMaxRows?: number };
  /** Bytes of the journal on disk, for /metrics. */
  readonly journalBytes?: () => number;
  /** The Graphite listener's counters for /metrics, or undefined while it does not run. */
  readonly graphiteStats?: () => PlaintextStats | undefined;
  /** The `heatmaps` section (limits, named views) for /api/v1/heatmap; default limits and no views without it. */
  readonly heatmaps?: HeatmapsSettings;
  /** The downtime database behind /api/v1/downtimes; without it those routes are absent. */
  readonly downtimes?: Downtimes;
  /** The agent registry behind /api/v1/agents (heartbeats, last contact); without it those routes are absent. */
  readonly agents?: AgentRegistry;
  /** The node states behind /api/v1/nodes and ringmon_nodes in /metrics (with `agents`); without it those are absent. */
  readonly nodes?: NodeTracker;
  /** The node metadata in force, behind GET /api/v1/metadata; without it that route is absent. */
  readonly metadata?: () => MetadataSnapshot;
  /** Where labels posted with samples go (MetadataSource.offerLabels); without it they are checked and dropped. */
  readonly labels?: LabelOffer;
  /** The units of series: declared by ingested samples, listed by /api/v1/series and /api/v1/fetch; without it units are checked and dropped, none listed. */
  readonly units?: Pick<SeriesUnits, 'declare' | 'unitOf' | 'storedUnitOf'>;
  /** The alarm engine behind /api/v1/alarms and /api/v1/rules; without it those routes are absent. */
  readonly alarms?: AlarmEngine;
  /** The feeds behind /api/v1/feeds (with `alarms`), and alarms.publicUrl for their links; without them those routes are absent. */
  readonly feeds?: { readonly set: FeedSet; readonly publicUrl?: string };
  /** The notification outbox behind /api/v1/notifications; without it that route is absent. */
  readonly notifications?: NotificationLog;
  /** The scheduled reports behind POST /api/v1/reports/:name/run; without it that route is absent. */
  readonly reports?: ReportRoutesOptions;
  /** What POST /api/v1/admin/reload runs (with a store); without it that route is absent. */
  readonly reload?: () => Promise<ReloadOutcome>;
  /** The data directory, whose quarantine GET /api/v1/admin/quarantine reads; without it (or a store) that route is absent. */
  readonly dataDir?: string;
  /** The public status page behind GET /status and /api/v1/status (no token); without it those routes are absent. */
  readonly status?: StatusPage;
  /** The web client at `/` (built at start when missing); false for none. */
  readonly web?: WebRoutesOptions | false;
}

/** Paths pino must never print: credentials in headers, wherever a handler logs the headers. */
export const REDACTED_LOG_PATHS = [...new Set([...authLogRedaction, 'req.headers.cookie', 'headers.cookie', '*.headers.cookie'])];

export type App = FastifyInstance;

const ajvCompilers = AjvCompiler();

/** What fastify passes a validator factory and the compiler it returns, at run time (the package's typings describe a union of modes). */
type ValidatorOptions = { customOptions?: Record<string, unknown> } & Record<string, unknown>;
type RouteValidatorCompiler = (route: { httpPart?: string }) => unknown;
type ValidatorFactoryAtRunTime = (externalSchemas: unknown, options: ValidatorOptions) => RouteValidatorCompiler;

/**
 * Query strings and paths are text, so their values are coerced to the
 * schema's types (`?points=300`, a repeated `series`). JSON bodies carry
 * their own types and are not: coercion would store `"v": null` as 0 and
 * `"v": false` as 0 instead of refusing or keeping them.
 */
const build = ajvCompilers as unknown as ValidatorFactoryAtRunTime;
const bodiesUncoerced: ValidatorFactoryAtRunTime = (externalSchemas, options) => {
  const coercing = build(externalSchemas, options);
  const strict = build(externalSchemas, { ...options, customOptions: { ...options.customOptions, coerceTypes: false } });
  return (route) => (route.httpPart === 'body' ? strict(route) : finiteNumbersOnly(coercing(route) as Validator));
};

export async function buildApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const loggerOption = options.logger ?? false;
  const isLoggerInstance = typeof loggerOption === 'object' && loggerOption !== null && 'child' in loggerOption;
  const connections = options.connections ?? {
    idleTimeout: DEFAULT_LISTEN.idleTimeoutSeconds,
    headersTimeout: DEFAULT_LISTEN.headersTimeoutSeconds,
    requestTimeout: DEFAULT_LISTEN.requestTimeoutSeconds,
    maxConnections: DEFAULT_LISTEN.maxConnections,
  };
  const connectionStats: HttpConnectionStats = { overLimit: 0, closedUnread: 0, timedOut: 0 };
  const fetchStats: FetchStats = { refused: 0 };
  const app = Fastify({
    ...(isLoggerInstance
      ? { loggerInstance: loggerOption as FastifyBaseLogger }
      : { logger: loggerOption === false ? false : { ...(loggerOption === true ? {} : loggerOption), redact: REDACTED_LOG_PATHS, serializers: LOG_SERIALIZERS } }),
    bodyLimit: options.bodyLimit ?? 10 * 1024 * 1024,
    ...connectionOptions(connections),
    clientErrorHandler: clientErrorAnswer,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    // The cast: fastify's option type is the package's mode union; bodiesUncoerced is the ajv mode.
    schemaController: { compilersFactory: { buildValidator: bodiesUncoerced as unknown as ReturnType<typeof AjvCompiler> } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandlers(app);
  explainJsonRefusals(app);
  await app.register(connectionLimits, { maxConnections: connections.maxConnections, stats: connectionStats });
  await app.register(securityHeaders, { docsPrefix: '/docs' });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'ringmon API', version: options.version ?? '0.0.0', description: 'Ingest samples, query series, manage downtimes and alarms.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(authPlugin, options.auth ?? { resolveToken: () => undefined });
  await app.register(healthRoutes, { version: options.version ?? '0.0.0' });
  if (options.store) {
    const limits = options.limits ?? { samplesPerRequest: 100_000, seriesNameLength: 255 };
    const alarms = options.alarms;
    const offer = alarms ? (series: string, thresholds: { warning?: string; critical?: string }) => alarms.offer(series, thresholds) : undefined;
    const units = options.units;
    await app.register(ingestRoutes, { prefix: '/api/v1', store: options.store, ...limits, offer, labels: options.labels, units: units && ((series, unit) => units.declare(series, unit)) });
    await app.register(queryRoutes, { prefix: '/api/v1', store: options.store, fetchMaxRows: limits.fetchMaxRows, fetchStats, units });
    await app.register(heatmapRoutes, { prefix: '/api/v1', store: options.store, metadata: options.metadata, settings: options.heatmaps, fetchMaxRows: limits.fetchMaxRows, fetchStats });
    const agents = options.agents;
    await app.register(ruleTrialRoutes, { prefix: '/api/v1', store: options.store, downtimes: options.downtimes, agentOf: agents && ((series) => agents.agentOf(series)), metadata: options.metadata });
    await app.register(adminRoutes, { prefix: '/api/v1', store: options.store, reload: options.reload });
    if (options.dataDir !== undefined) await app.register(quarantineRoutes, { prefix: '/api/v1', dataDir: options.dataDir });
    const store = options.store;
    const nodes = options.nodes;
    await app.register(metricsRoutes, { storeStats: () => store.stats(), journalBytes: options.journalBytes ?? (() => 0), alarmStats: alarms && (() => alarms.stats()), graphiteStats: options.graphiteStats, httpStats: () => connectionStats, fetchStats: () => fetchStats, nodeCounts: nodes && (() => nodes.counts()) });
  }
  if (options.downtimes) await app.register(downtimeRoutes, { prefix: '/api/v1', downtimes: options.downtimes });
  if (options.agents) await app.register(agentRoutes, { prefix: '/api/v1', agents: options.agents });
  if (options.metadata) await app.register(metadataRoutes, { prefix: '/api/v1', metadata: options.metadata });
  if (options.agents && options.nodes) await app.register(nodeRoutes, { prefix: '/api/v1', nodes: options.nodes });
  if (options.alarms) {
    const store = options.store;
    await app.register(alarmRoutes, { prefix: '/api/v1', alarms: options.alarms, messageOf: store && ((series) => store.lastMessage(series)) });
    if (options.feeds) await app.register(feedRoutes, { prefix: '/api/v1', alarms: options.alarms, feeds: options.feeds.set, publicUrl: options.feeds.publicUrl });
  }
  if (options.notifications) await app.register(notificationRoutes, { prefix: '/api/v1', notifications: options.notifications });
  if (options.reports) await app.register(reportRoutes, { prefix: '/api/v1', ...options.reports });
  if (options.status) await app.register(statusRoutes, { page: options.status });
  if (options.web !== false) await app.register(webRoutes, options.web ?? {});
  return app;
}
