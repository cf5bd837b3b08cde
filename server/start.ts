/**
 * Starting and stopping the server from a validated configuration: the one
 * place that listens. Used by `ringmon serve` and by tests that run the
 * whole server.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { AgentRegistry, AGENTS_FILE } from './agents/index.js';
import { buildApp, REDACTED_LOG_PATHS } from './app.js';
import { tokenFileResolver } from './auth/token-file.js';
import type { Principal } from './auth/token-file.js';
import type { ServerConfig } from './config/index.js';
import { DOWNTIME_DATABASE_FILE, Downtimes } from './downtimes/index.js';
import { PlaintextListener } from './graphite/plaintext-listener.js';
import { SampleJournal } from './journal/index.js';
import { startSlurpers } from './slurpers/run-slurpers.js';
import { SeriesStore } from './store/index.js';

export interface RunningServer {
  readonly app: FastifyInstance;
  /** The Graphite plaintext listener, when enabled. */
  readonly graphite: PlaintextListener | undefined;
  /** http://host:port as bound (port 0 in tests becomes the real port). */
  readonly url: string;
  /** Stops accepting requests, finishes those in flight, flushes and closes everything. Safe to call twice. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly version?: string;
  /** Where logs go; default stdout. */
  readonly logStream?: NodeJS.WritableStream;
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

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  mkdirSync(config.dataDir, { recursive: true });
  const tokens = tokenResolver(config.auth.tokensFile);
  // One logger from the start, so what happens before the app exists (journal replay) is logged too.
  const log = pino({ level: config.log.level, redact: REDACTED_LOG_PATHS }, options.logStream ?? process.stdout);
  const journal = await SampleJournal.open(join(config.dataDir, 'journal'));
  const store = await SeriesStore.open({ config, journal, log });
  const downtimes = await Downtimes.open(join(config.dataDir, DOWNTIME_DATABASE_FILE), { maxWindowSeconds: config.downtimes.maxWindow });
  const agents = AgentRegistry.open(join(config.dataDir, AGENTS_FILE), { log });
  // Slurper files and options are checked here, so a bad one stops the start (ConfigError) before the server listens.
  const slurpers = await startSlurpers(config, store, log.child({ part: 'slurpers' }));
  log.info({ instances: config.slurpers.instances.map((i) => `${i.name} (${i.slurper})`) }, `running ${config.slurpers.instances.length} slurper instances`);
  const app = await buildApp({
    store,
    downtimes,
    agents,
    limits: config.limits,
    journalBytes: () => journal.sizeBytes,
    logger: log,
    bodyLimit: config.limits.bodyBytes,
    version: options.version,
    auth: { resolveToken: tokens.resolve, openReads: config.auth.openReads },
  });
  if (!tokens.present) {
    app.log.warn(`no token file at ${config.auth.tokensFile}: requests that need a token are refused until one is created with 'ringmon token add NAME --role admin --file ${config.auth.tokensFile}'`);
  }
  const url = await app.listen({ host: config.listen.host, port: config.listen.port });
  app.log.info({ dataDir: config.dataDir }, `ringmon listening on ${url}`);
  app.log.info({ downtimes: downtimes.size, migrated: downtimes.migrated }, `downtime database ${join(config.dataDir, DOWNTIME_DATABASE_FILE)} open`);
  const graphite = config.graphite.enabled
    ? await PlaintextListener.listen({
        host: config.graphite.host,
        port: config.graphite.port,
        sink: store,
        log: app.log,
        seriesNameLength: config.limits.seriesNameLength,
      })
    : undefined;
  if (graphite) app.log.info(`graphite plaintext protocol on ${config.graphite.host}:${graphite.port}`);
  let closing: Promise<void> | undefined;
  return {
    app,
    graphite,
    url,
    close: () => {
      closing ??= (async () => {
        app.log.info('shutting down');
        await graphite?.close();
        await app.close();
        await slurpers.stop();
        const pending = store.stats().pending;
        await store.close();
        await journal.close();
        await downtimes.close();
        await agents.close();
        app.log.info({ flushedAtShutdown: pending }, 'shut down cleanly');
      })();
      return closing;
    },
  };
}
