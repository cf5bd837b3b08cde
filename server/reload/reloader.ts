/**
 * Re-reading the configuration of a running server (SIGHUP, and later
 * POST /api/v1/admin/reload): the file is loaded and given every check of a
 * start (checkConfig) before anything else, so a bad file changes nothing
 * and its error names the key. Nothing is applied in place yet: a valid
 * file is compared with the running config section by section, and the
 * sections that differ are reported as needing a restart. The running
 * config stays the reference, so each reload reports every difference
 * still waiting for one.
 */
import { isDeepStrictEqual } from 'node:util';
import { loadConfig, type ServerConfig } from '../config/index.js';
import { ConfigError, formatConfigProblem } from '../config-schema/index.js';
import { checkConfig } from './check-config.js';

/** What a reload did: the error of a file that failed a check, or the sections that changed. */
export type ReloadOutcome =
  | { readonly valid: false; readonly error: ConfigError }
  | { readonly valid: true; readonly applied: readonly string[]; readonly restartNeeded: readonly string[] };

export interface ReloadLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** The top-level sections (dataDir, listen, alarms...) whose settings differ. */
export function changedSections(running: ServerConfig, next: ServerConfig): string[] {
  const keys = new Set([...Object.keys(running), ...Object.keys(next)]);
  return [...keys].filter((k) => !isDeepStrictEqual((running as Record<string, unknown>)[k], (next as Record<string, unknown>)[k])).sort();
}

/**
 * A function that re-reads `file` (undefined: defaults and environment
 * only, as `ringmon serve` without --config) and compares it with
 * `running`. It never throws: a file that fails is the outcome's error,
 * logged as one line naming the key; the server keeps its config.
 */
export function reloader(file: string | undefined, running: ServerConfig, log: ReloadLogger): () => Promise<ReloadOutcome> {
  return async () => {
    let next: ServerConfig;
    try {
      next = loadConfig(file);
      await checkConfig(next);
    } catch (e) {
      // Anything else (a folder that cannot be read) is refused the same way: a reload never stops the server.
      const problems = e instanceof ConfigError ? e.problems : [{ key: '', message: e instanceof Error ? e.message : String(e) }];
      const error = e instanceof ConfigError && (e.source !== undefined || file === undefined) ? e : new ConfigError(file, problems);
      log.error({ keys: error.problems.map((p) => p.key), file }, `reload refused, the running config is kept: ${error.problems.map(formatConfigProblem).join('; ')}`);
      return { valid: false, error };
    }
    const restartNeeded = changedSections(running, next);
    if (restartNeeded.length === 0) log.info({ file }, 'reload: the config file is valid and unchanged');
    else log.warn({ file, restartNeeded }, `reload: the config file is valid; a restart is needed to apply ${restartNeeded.join(', ')} (nothing is applied without one yet)`);
    return { valid: true, applied: [], restartNeeded };
  };
}
