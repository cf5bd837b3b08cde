/**
 * Environment overrides, for deployments that set the address and data
 * directory per instance (containers, systemd units) and share one file:
 *
 *   RINGMON_LISTEN_HOST   listen.host
 *   RINGMON_LISTEN_PORT   listen.port
 *   RINGMON_DATA_DIR      dataDir; a relative path is taken from the working directory
 *
 * An override wins over the file. An empty variable counts as unset. The
 * value is validated like the key it sets, and an error names the variable
 * instead of the key.
 */
import { resolve } from 'node:path';
import { formatKeyPath } from '../config-schema/index.js';
import { isPlainObject } from './normalize.js';

interface EnvOverride {
  readonly variable: string;
  readonly path: readonly string[];
  /** The value the key gets; text that does not read is kept, for validation to refuse and quote. */
  readonly read: (text: string, cwd: string) => unknown;
}

export const ENV_OVERRIDES: readonly EnvOverride[] = [
  { variable: 'RINGMON_LISTEN_HOST', path: ['listen', 'host'], read: (text) => text },
  { variable: 'RINGMON_LISTEN_PORT', path: ['listen', 'port'], read: (text) => (/^\d+$/.test(text) ? Number(text) : text) },
  { variable: 'RINGMON_DATA_DIR', path: ['dataDir'], read: (text, cwd) => resolve(cwd, text) },
];

/** The mapping that holds the key at `path`, made if missing; undefined when a section on the way is not a mapping. */
function parentOf(config: Record<string, unknown>, path: readonly string[]): Record<string, unknown> | undefined {
  let target = config;
  for (const key of path.slice(0, -1)) {
    if (target[key] === undefined) target[key] = {};
    const next = target[key];
    if (!isPlainObject(next)) return undefined;
    target = next;
  }
  return target;
}

/**
 * Sets each override present in `env` on `config` (in place) and returns
 * which variable set which formatted key path. A section that is not a
 * mapping is left alone: validation reports it.
 */
export function applyEnvOverrides(
  config: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Map<string, string> {
  const setBy = new Map<string, string>();
  for (const { variable, path, read } of ENV_OVERRIDES) {
    const text = env[variable];
    if (text === undefined || text === '') continue;
    const parent = parentOf(config, path);
    if (parent === undefined) continue;
    parent[path[path.length - 1]] = read(text, cwd);
    setBy.set(formatKeyPath(path), variable);
  }
  return setBy;
}
