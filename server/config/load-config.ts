/**
 * loadConfig: the server's configuration from built-in defaults, an optional
 * YAML file and RINGMON_* environment variables, validated whole before the
 * server starts. Every problem found is reported at once in one ConfigError.
 *
 * Order of precedence: environment over file over defaults. Relative paths
 * in the file are taken from the file's directory; relative paths from the
 * environment and the defaults (`dataDir: ./data`) from the working
 * directory. The file never holds secrets: where one is needed it names a
 * file (`auth.tokensFile`).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Value } from 'typebox/value';
import { parseDocument } from 'yaml';
import { DEFAULT_TOKENS_FILE_NAME } from '../auth/config-section.js';
import { ConfigError, formatKeyPath, type ConfigProblem } from '../config-schema/index.js';
import { applyEnvOverrides } from './env.js';
import { isPlainObject, normalizeConfig } from './normalize.js';
import { schemaProblems, showValue, type PathProblem } from './problems.js';
import { configSections, ServerConfigSchema, type ServerConfig } from './schema.js';

/** Where loadConfig looks besides the file; both default to the process's own, and tests pass their own. */
export interface LoadOptions {
  /** Where RINGMON_* overrides are read; default process.env. Tests pass their own. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The directory relative paths from the environment and defaults are taken from; default process.cwd(). */
  readonly cwd?: string;
}

/** What the usual reasons a file cannot be read mean, in words. */
const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
};

function fileProblem(path: string, message: string): ConfigError {
  return new ConfigError(path, [{ key: '', message }]);
}

/** The file's YAML as plain data; throws ConfigError when it cannot be read or is not one YAML mapping. */
function readYamlFile(path: string, cwd: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw fileProblem(path, `cannot read the config file: ${READ_ERRORS[code] ?? (e as Error).message}`);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    // The first line of yaml's message says what and where ("... at line 3, column 5:"); the rest quotes the file.
    const problems = doc.errors.map((e) => ({ key: '', message: `not valid YAML: ${e.message.split('\n')[0].replace(/:$/, '')}` }));
    throw new ConfigError(path, problems);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // Unresolved or too many aliases.
    throw fileProblem(path, `not valid YAML: ${(e as Error).message}`);
  }
  if (data === null || data === undefined) return {};
  if (!isPlainObject(data)) throw fileProblem(path, `must be a mapping of section names to settings, got ${showValue(data)}`);
  return data;
}

/** Each section's own check, for the sections validation found nothing wrong with. */
function sectionProblems(config: Record<string, unknown>, schemaFound: readonly PathProblem[]): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const [name, section] of configSections()) {
    if (section.check === undefined || schemaFound.some((p) => p.path[0] === name)) continue;
    section.check(config[name], (path, message) => problems.push({ path: [name, ...path], message }));
  }
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * The configuration in `path` (YAML), or the built-in defaults when `path` is
 * undefined; environment overrides apply to both. Throws ConfigError listing
 * every problem: unreadable file, bad YAML, unknown keys, wrong types, values
 * out of range, bad archive rules. The result is frozen.
 */
export function loadConfig(path?: string, options: LoadOptions = {}): ServerConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const fileData = path === undefined ? {} : readYamlFile(path, cwd);
  const baseDir = path === undefined ? cwd : dirname(resolve(cwd, path));
  const originals = new Map<string, unknown>();
  const data = normalizeConfig(ServerConfigSchema, fileData, baseDir, originals) as Record<string, unknown>;
  const setByEnv = applyEnvOverrides(data, env, cwd);
  const config = Value.Default(ServerConfigSchema, data) as Record<string, unknown>;
  const found = schemaProblems(ServerConfigSchema, config, originals);
  found.push(...sectionProblems(config, found));
  if (found.length > 0) {
    const problems: ConfigProblem[] = found.map(({ path: keyPath, message }) => {
      const key = formatKeyPath(keyPath);
      return { key: setByEnv.get(key) ?? key, message };
    });
    throw new ConfigError(path, problems);
  }
  // Validated above; the cast only records what Value.Errors just checked.
  const valid = config as unknown as ServerConfig;
  const dataDir = resolve(cwd, valid.dataDir);
  return deepFreeze({
    ...valid,
    dataDir,
    auth: { ...valid.auth, tokensFile: valid.auth.tokensFile ?? join(dataDir, DEFAULT_TOKENS_FILE_NAME) },
  });
}
