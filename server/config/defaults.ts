/**
 * Every built-in default of the configuration, in one place: the server runs
 * on these alone (`ringmon serve` without --config), and the section schemas
 * take their `default`s from here. docs/configuration.md documents the same
 * values; test/server/config checks that it does.
 */

const MiB = 2 ** 20;

/** Loopback only: exposing the API is a decision the operator makes in the config. */
export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 8080 } as const;

/** Relative to the working directory when it comes from here, to the config file's directory when written there. */
export const DEFAULT_DATA_DIR = './data';

/** Graphite's plaintext protocol port; off unless enabled. */
export const DEFAULT_GRAPHITE = { enabled: false, host: '127.0.0.1', port: 2003 } as const;

/** The token file's name inside the data directory, when `auth.tokensFile` is not set. */
export const DEFAULT_TOKENS_FILE_NAME = 'tokens';

export const DEFAULT_AUTH = { openReads: false } as const;

export const DEFAULT_LIMITS = {
  bodyBytes: 10 * MiB,
  samplesPerRequest: 100_000,
  seriesNameLength: 255,
} as const;

export const DEFAULT_WRITE_BEHIND = {
  flushIntervalSeconds: 60,
  maxJournalBytes: 256 * MiB,
} as const;

/** The built-in `archives.default`: what a series gets when no rule matches. */
export const DEFAULT_ARCHIVE_RULE = {
  step: 10,
  type: 'GAUGE',
  heartbeat: 20,
  retentions: '10s:2d,1m:30d,1h:1y,1d:10y',
  cfs: ['AVERAGE', 'MIN', 'MAX'],
  xff: 0.5,
} as const;

/** pino's levels. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const DEFAULT_LOG_LEVEL = 'info';
