/**
 * Re-reading the configuration of a running server (SIGHUP and POST
 * /api/v1/admin/reload): the file is loaded and given every check of a
 * start (checkConfig) before anything else, so a bad file changes nothing
 * and its error names the key. A valid file is applied as far as it can be
 * in place (apply-config.ts: alarm rules and recipients, slurper
 * instances); what else differs
 * is reported as needing a restart. The config in force is the reference
 * of the next reload, so each one reports every difference still waiting
 * for a restart. Reloads run one at a time.
 */
import { loadConfig, type ServerConfig } from '../config/index.js';
import { ConfigError, formatConfigProblem } from '../config-schema/index.js';
import { appliedKey, applyConfig, type ReloadTargets } from './apply-config.js';
import { checkConfig } from './check-config.js';

/** What a reload did: the error of a file that failed a check, or the keys applied and those waiting for a restart. */
export type ReloadOutcome =
  | { readonly valid: false; readonly error: ConfigError }
  | { readonly valid: true; readonly applied: readonly string[]; readonly restartNeeded: readonly string[] };

export interface ReloadLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Where a reload reads from: `file` (undefined: defaults and environment only, as `ringmon serve` without --config). */
export interface ReloadSource {
  readonly file: string | undefined;
}

/** The running config with the settings a reload applied (`alarms.rules`, `slurpers.instances (...)`: a section and a setting). */
function withApplied(running: ServerConfig, next: ServerConfig, applied: readonly string[]): ServerConfig {
  let config = running;
  for (const entry of applied) {
    const [section, setting] = appliedKey(entry).split('.') as ['alarms' | 'slurpers', string];
    config = { ...config, [section]: { ...config[section], [setting]: (next[section] as unknown as Record<string, unknown>)[setting] } };
  }
  return config;
}

/**
 * A function that re-reads `source.file`, checks it, applies what it can to
 * `targets` and logs the outcome (one line). It never rejects for a file
 * that fails, whatever the cause: that is the outcome's error, and the
 * server keeps its config.
 */
export function reloader(source: ReloadSource, running: ServerConfig, targets: ReloadTargets, log: ReloadLogger): () => Promise<ReloadOutcome> {
  const { file } = source;
  let current = running;
  let chain: Promise<unknown> = Promise.resolve();
  const once = async (): Promise<ReloadOutcome> => {
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
    // First, so rules a reload changes are compiled against the new metadata.
    targets.metadata?.reread();
    const { applied, restartNeeded } = await applyConfig(targets, current, next);
    current = withApplied(current, next, applied);
    const done = applied.length === 0 ? 'nothing applied' : `applied ${applied.join(', ')}`;
    if (restartNeeded.length > 0) log.warn({ file, applied, restartNeeded }, `reload: ${done}; a restart is needed to apply ${restartNeeded.join(', ')}`);
    else log.info({ file, applied }, applied.length === 0 ? 'reload: the config file is valid and unchanged' : `reload: ${done}`);
    return { valid: true, applied, restartNeeded };
  };
  return () => {
    const outcome = chain.then(once);
    chain = outcome.catch(() => undefined);
    return outcome;
  };
}

/** The reload of a server started from a config object, not a file (tests): there is nothing to re-read. */
export async function noReload(): Promise<ReloadOutcome> {
  return { valid: false, error: new ConfigError(undefined, [{ key: '', message: 'this server was not started from a config file: there is nothing to re-read' }]) };
}
