/**
 * agent.yaml: what a remote agent runs and where it keeps its spool.
 *
 *     name: web01                      # default: the host name
 *     slurperDirs: [/etc/ringmon/slurpers]
 *     instances:                       # as in the server's config (instance-config.ts)
 *       - { slurper: http, name: web01.http, every: 30s, options: { url: http://localhost/ } }
 *     spool: { dir: /var/lib/ringmon-agent/spool, maxBytes: 256MiB }
 *     upload: { maxSamplesPerRequest: 5000, timeoutSeconds: 30s, maxBackoffSeconds: 60s, stopDrainSeconds: 5s }
 *     heartbeatSeconds: 30
 *     concurrency: 16
 *
 * Durations and sizes read as everywhere in ringmon (lib/duration.ts,
 * lib/byte-size.ts). Every problem is reported at once, each under its key
 * (`spool.maxBytes: must be ...`, `instances[2].every: ...`). Relative paths
 * are taken from the config file's directory.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { Type, type Static } from 'typebox';
import { parseDocument } from 'yaml';
import { BYTE_SIZE_FORMS, formatByteSize, parseByteSize } from '../../lib/byte-size.js';
import { DURATION_FORMS, formatDuration, parseDuration } from '../../lib/duration.js';
import { readInstanceConfig, type InstanceConfig } from '../host/instance-config.js';
import { prepareOptions, SchemaError } from '../host/options.js';
import { DEFAULT_SPOOL_MAX_BYTES } from './spool.js';

/** Agent names, as downtime scopes name agents. */
export const AGENT_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

const seconds = (minimum: number, maximum: number, fallback: number) =>
  Type.Number({ minimum, maximum, default: fallback, 'x-expected': `a duration between ${formatDuration(minimum)} and ${formatDuration(maximum)} (${DURATION_FORMS})` });

const SPOOL_MIN_BYTES = 64 * 1024;

export const agentConfigSchema = Type.Object(
  {
    name: Type.String({ pattern: AGENT_NAME_PATTERN, 'x-expected': '1 to 64 of A-Z a-z 0-9 . _ -, starting with a letter or digit' }),
    slurperDirs: Type.Array(Type.String({ minLength: 1 }), { default: [], 'x-expected': 'a list of folders of slurper files' }),
    instances: Type.Array(Type.Unknown(), { default: [], 'x-expected': 'a list of slurper instances ({slurper, name, every, options})' }),
    spool: Type.Object(
      {
        dir: Type.String({ minLength: 1, default: 'spool' }),
        maxBytes: Type.Integer({ minimum: SPOOL_MIN_BYTES, default: DEFAULT_SPOOL_MAX_BYTES, 'x-expected': `a size of at least ${formatByteSize(SPOOL_MIN_BYTES)} (${BYTE_SIZE_FORMS})` }),
      },
      { default: {}, additionalProperties: false },
    ),
    upload: Type.Object(
      {
        maxSamplesPerRequest: Type.Integer({ minimum: 1, maximum: 100_000, default: 5000 }),
        timeoutSeconds: seconds(1, 600, 30),
        maxBackoffSeconds: seconds(0.1, 3600, 60),
        stopDrainSeconds: seconds(0, 600, 5),
      },
      { default: {}, additionalProperties: false },
    ),
    heartbeatSeconds: seconds(1, 3600, 30),
    concurrency: Type.Integer({ minimum: 1, maximum: 1000, default: 16 }),
  },
  { additionalProperties: false },
);

/** agent.yaml after validation: durations in seconds, sizes in bytes, paths absolute, instances checked. */
export type AgentConfig = Omit<Static<typeof agentConfigSchema>, 'instances'> & { readonly instances: readonly InstanceConfig[] };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Text forms (`30s`, `64MiB`) as numbers, in a copy; values that do not parse are left for the schema to report. */
function readTextForms(raw: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...raw };
  const convert = (record: Record<string, unknown>, key: string, parse: (text: string | number) => number | undefined): void => {
    if (typeof record[key] === 'string') record[key] = parse(record[key] as string) ?? record[key];
  };
  convert(copy, 'heartbeatSeconds', parseDuration);
  if (isRecord(copy.spool)) convert((copy.spool = { ...copy.spool }), 'maxBytes', parseByteSize);
  if (isRecord(copy.upload)) {
    const upload = (copy.upload = { ...copy.upload });
    for (const key of ['timeoutSeconds', 'maxBackoffSeconds', 'stopDrainSeconds']) convert(upload, key, parseDuration);
  }
  return copy;
}

/**
 * The agent config in `data` (parsed YAML), or a SchemaError listing every
 * problem by key. `baseDir` anchors relative paths; `defaultName` is the
 * name when none is given (the host name).
 */
export function checkAgentConfig(data: unknown, baseDir: string, defaultName = hostname()): AgentConfig {
  if (!isRecord(data)) throw new SchemaError([`the agent config must be a mapping of keys to settings (name, instances, spool, ...)`]);
  const withName = { name: defaultName, ...readTextForms(data) };
  const problems: string[] = [];
  let checked: Static<typeof agentConfigSchema> | undefined;
  try {
    checked = prepareOptions(agentConfigSchema, withName, '');
  } catch (e) {
    if (!(e instanceof SchemaError)) throw e;
    problems.push(...e.problems.map((p) => p.replace(/^\./, '')));
  }
  if (data.name === undefined && problems.some((p) => p.startsWith('name:'))) {
    problems.push(`name: the host name '${defaultName}' is not a usable agent name; set name in the config`);
  }
  const instances: InstanceConfig[] = [];
  (Array.isArray(data.instances) ? data.instances : []).forEach((raw, i) => {
    try {
      instances.push(readInstanceConfig(raw, `instances[${i}]`));
    } catch (e) {
      if (!(e instanceof SchemaError)) throw e;
      problems.push(...e.problems);
    }
  });
  if (problems.length > 0 || checked === undefined) throw new SchemaError(problems);
  return {
    ...checked,
    slurperDirs: checked.slurperDirs.map((d) => resolve(baseDir, d)),
    spool: { ...checked.spool, dir: resolve(baseDir, checked.spool.dir) },
    instances,
  };
}

/** Reads and checks the YAML file at `path`; throws SchemaError (with the problems) for a bad file. */
export function loadAgentConfig(path: string, defaultName?: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SchemaError([`cannot read the agent config: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`]);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) throw new SchemaError(doc.errors.map((e) => `not valid YAML: ${e.message.split('\n')[0].replace(/:$/, '')}`));
  return checkAgentConfig(doc.toJS({ maxAliasCount: 100 }) ?? {}, dirname(resolve(path)), defaultName);
}
