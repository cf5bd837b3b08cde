/**
 * One configured instance of a slurper:
 *
 *     - slurper: http            # which slurper (its `name`)
 *       name: web01.http         # the series prefix: web01.http.status, web01.http.up
 *       every: 30s               # or  cron: "30 0 * * *"  (node-cron; 6 fields allow seconds)
 *       timeout: 5s              # default: 10 s, or `every` when that is shorter
 *       options: { url: https://web01.example/ }
 *
 * The schema describes the values as the host uses them: durations are
 * seconds (fractions allowed). Text such as `30s` (lib/duration.ts) is read by
 * readInstanceConfig (and, through the `x-text-form` annotation, by the
 * server's config loader). `options` is checked later, against the slurper's
 * own schema, once the slurper is known.
 */
import { validate as validateCron } from 'node-cron';
import { Type, type Static, type TNumber } from 'typebox';
import { DURATION_FORMS, formatDuration, parseDuration } from '../../lib/duration.js';
import { prepareOptions, SchemaError } from './options.js';

/** The default time limit of a run, in seconds; never longer than the instance's interval. */
export const DEFAULT_TIMEOUT_SECONDS = 10;

const SLURPER_NAME = '^[a-z][a-z0-9_-]*$';
const INSTANCE_NAME = '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$';

function duration(minimum: number, maximum: number): TNumber {
  return Type.Number({
    minimum,
    maximum,
    'x-text-form': 'duration',
    'x-expected': `a duration between ${formatDuration(minimum)} and ${formatDuration(maximum)} (${DURATION_FORMS})`,
  });
}

export const instanceConfigSchema = Type.Object(
  {
    slurper: Type.String({ pattern: SLURPER_NAME, 'x-expected': 'a slurper name ([a-z][a-z0-9_-]*, e.g. http)' }),
    name: Type.String({ pattern: INSTANCE_NAME, maxLength: 200, 'x-expected': 'an instance name: segments of A-Z a-z 0-9 _ - separated by dots (e.g. web01.http)' }),
    every: Type.Optional(duration(0.1, 7 * 86400)),
    cron: Type.Optional(Type.String({ minLength: 1, 'x-expected': 'a cron expression such as "30 0 * * *"' })),
    timeout: Type.Optional(duration(0.01, 3600)),
    options: Type.Record(Type.String(), Type.Unknown(), { default: {} }),
  },
  { additionalProperties: false },
);

/** An instance as configured, after validation; durations in seconds. */
export type InstanceConfig = Static<typeof instanceConfigSchema>;

/** A problem the schema cannot express, with its key relative to the instance. */
export interface InstanceProblem {
  readonly key: string;
  readonly message: string;
}

/** What the schema cannot say: exactly one of every/cron, a cron expression node-cron accepts, a timeout within the interval. */
export function instanceConfigProblems(config: InstanceConfig): InstanceProblem[] {
  const problems: InstanceProblem[] = [];
  if ((config.every === undefined) === (config.cron === undefined)) {
    problems.push({ key: config.every === undefined ? 'every' : 'cron', message: 'give exactly one of every (30s) or cron ("30 0 * * *")' });
  }
  if (config.cron !== undefined && !validateCron(config.cron)) {
    problems.push({ key: 'cron', message: `must be a cron expression (minute hour day month weekday, optionally seconds first), got ${JSON.stringify(config.cron)}` });
  }
  if (config.every !== undefined && config.timeout !== undefined && config.timeout > config.every) {
    problems.push({ key: 'timeout', message: `must not be longer than every (${formatDuration(config.every)}), got ${formatDuration(config.timeout)}` });
  }
  return problems;
}

/** The run's time limit: `timeout`, else 10 s or the interval when that is shorter. */
export function timeoutOf(config: InstanceConfig): number {
  return config.timeout ?? Math.min(DEFAULT_TIMEOUT_SECONDS, config.every ?? DEFAULT_TIMEOUT_SECONDS);
}

/**
 * `raw` (an entry of the config's `slurpers:` list) checked, with its
 * durations read from text; throws a SchemaError listing every problem
 * under `where` (e.g. `slurpers[2]`).
 */
export function readInstanceConfig(raw: unknown, where: string): InstanceConfig {
  const copy: unknown = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ...raw } : raw;
  if (typeof copy === 'object' && copy !== null) {
    const record = copy as Record<string, unknown>;
    for (const key of ['every', 'timeout']) {
      if (typeof record[key] === 'string') record[key] = parseDuration(record[key] as string) ?? record[key];
    }
  }
  const config = prepareOptions(instanceConfigSchema, copy, where);
  const problems = instanceConfigProblems(config).map((p) => `${where}.${p.key}: ${p.message}`);
  if (problems.length > 0) throw new SchemaError(problems);
  return config;
}
