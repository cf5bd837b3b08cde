/**
 * buildApp: the ringmon HTTP API as a fastify instance, ready to `listen` or
 * to be called with `inject`. It never listens itself; only `ringmon serve`
 * does. Each route group is an encapsulated plugin.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { authLogRedaction, authPlugin, type AuthPluginOptions } from './auth/auth-plugin.js';
import { installErrorHandlers } from './errors.js';
import { adminRoutes } from './routes/admin.js';
import { healthRoutes } from './routes/health.js';
import { ingestRoutes } from './routes/ingest.js';
import { metricsRoutes } from './routes/metrics.js';
import { queryRoutes } from './routes/query.js';
import type { SeriesStore } from './store/index.js';

export interface AppOptions {
  /** pino options or an existing logger; false for none (tests). Authorization headers are always redacted. */
  readonly logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
  /** Largest request body in bytes. */
  readonly bodyLimit?: number;
  readonly version?: string;
  /** How tokens are checked; without it every route that requires a role refuses. */
  readonly auth?: AuthPluginOptions;
  /** The series behind the ingest and query API; without it those routes are absent. */
  readonly store?: SeriesStore;
  readonly limits?: { readonly samplesPerRequest: number; readonly seriesNameLength: number };
  /** Bytes of the journal on disk, for /metrics. */
  readonly journalBytes?: () => number;
}

/** Paths pino must never print: credentials in headers, wherever a handler logs the headers. */
export const REDACTED_LOG_PATHS = [...new Set([...authLogRedaction, 'req.headers.cookie', 'headers.cookie', '*.headers.cookie'])];

export type App = FastifyInstance;

export async function buildApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const loggerOption = options.logger ?? false;
  const isLoggerInstance = typeof loggerOption === 'object' && loggerOption !== null && 'child' in loggerOption;
  const app = Fastify({
    ...(isLoggerInstance
      ? { loggerInstance: loggerOption as FastifyBaseLogger }
      : { logger: loggerOption === false ? false : { ...(loggerOption === true ? {} : loggerOption), redact: REDACTED_LOG_PATHS } }),
    bodyLimit: options.bodyLimit ?? 10 * 1024 * 1024,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandlers(app);
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
    await app.register(ingestRoutes, { prefix: '/api/v1', store: options.store, ...limits });
    await app.register(queryRoutes, { prefix: '/api/v1', store: options.store });
    await app.register(adminRoutes, { prefix: '/api/v1', store: options.store });
    const store = options.store;
    await app.register(metricsRoutes, { storeStats: () => store.stats(), journalBytes: options.journalBytes ?? (() => 0) });
  }
  return app;
}
