/**
 * The built-in defaults of the sections server/config owns itself (listen,
 * dataDir, limits, log): the server runs on these and the parts' own
 * defaults alone (`ringmon serve` without --config). Each part keeps the
 * defaults of its section beside it (server/store/config-section.ts, ...).
 * docs/configuration.md documents the same values; test/server/config
 * checks that it does.
 */
import { DEFAULT_SERIES_NAME_LENGTH } from '../config-schema/index.js';
import { DEFAULT_MAX_FUTURE_SECONDS } from '../store/index.js';

const MiB = 2 ** 20;

/**
 * Loopback only: exposing the API is a decision the operator makes in the
 * config. Idle connections outlive a proxy's usual 60 s (the proxy closes
 * first, as with fastify's 72 s); a request has 10 s for its headers and
 * 30 s in all, body included. Agents keep one connection each (sending
 * every 10 s, kept 30 s): 10,000 of them fit, within the file descriptors
 * a Linux service is usually given.
 */
export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 8080, idleTimeoutSeconds: 72, headersTimeoutSeconds: 10, requestTimeoutSeconds: 30, maxConnections: 10_000 } as const;

/** Relative to the working directory when it comes from here, to the config file's directory when written there. */
export const DEFAULT_DATA_DIR = './data';

export const DEFAULT_LIMITS = {
  bodyBytes: 10 * MiB,
  samplesPerRequest: 100_000,
  seriesNameLength: DEFAULT_SERIES_NAME_LENGTH,
  maxFutureSeconds: DEFAULT_MAX_FUTURE_SECONDS,
  /** Rows one fetch may answer across its series: a year of 1-minute rows for about 2 series, some 25 MB of JSON. */
  fetchMaxRows: 1_000_000,
} as const;

/** pino's levels. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const DEFAULT_LOG_LEVEL = 'info';
