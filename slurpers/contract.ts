/**
 * The slurper plugin contract: everything a slurper file may depend on.
 *
 * A slurper is one file whose default export is `defineSlurper({...})`:
 *
 *     import { defineSlurper, Type } from 'ringmon/slurper';
 *     export default defineSlurper({
 *       name: 'uptime',
 *       description: 'Seconds since the host booted.',
 *       options: Type.Object({ path: Type.String({ default: '/proc/uptime' }) }),
 *       async collect(ctx, options) {
 *         const text = await readFile(options.path, { encoding: 'utf8', signal: ctx.signal });
 *         return [{ series: 'seconds', value: Number(text.split(' ')[0]) }];
 *       },
 *     });
 *
 * (`ringmon/slurper` is this file, from any folder: package.json's
 * `exports` inside this repository, host/slurper-modules.ts elsewhere.)
 *
 * The host (scheduler, agent) owns everything that happens around a run:
 * timing, timeouts, isolation, health series, prefixing series with the
 * instance name. Nothing outside a slurper's own file asks which slurper it is.
 */
import type { Static, TSchema } from 'typebox';

export { Type } from 'typebox';
export type { Static, TSchema } from 'typebox';

/**
 * The longest segment of a series name. The store writes each segment as a
 * folder or file name (`<segment>.rma`, and beside it while replacing it
 * `.<segment>.rma.<pid>.<random>.tmp`); a file name has at most 255 bytes,
 * so a longer segment would be acknowledged and then never written.
 */
export const MAX_SEGMENT_LENGTH = 200;

/** A series name: segments of A-Z a-z 0-9 _ - (1 to MAX_SEGMENT_LENGTH each) separated by single dots (`host.web01.cpu`), as a JSON-schema pattern. */
export const SERIES_NAME_PATTERN = `^[A-Za-z0-9_-]{1,${MAX_SEGMENT_LENGTH}}(\\.[A-Za-z0-9_-]{1,${MAX_SEGMENT_LENGTH}})*$`;
const SERIES_NAME = new RegExp(SERIES_NAME_PATTERN);

/** True when `name` follows SERIES_NAME_PATTERN (its characters and each segment's length; the full length is MAX_SERIES_LENGTH's). */
export function isSeriesName(name: string): boolean {
  return SERIES_NAME.test(name);
}

/** The rule in words, for messages. */
export const SERIES_NAME_RULE = 'segments of A-Z a-z 0-9 _ - separated by dots';

/** A run of more than MAX_SEGMENT_LENGTH characters without a dot. */
const LONG_SEGMENT = new RegExp(`[^.]{${MAX_SEGMENT_LENGTH + 1}}`);

/**
 * What is wrong with a series name, as the end of a message ("series:
 * <problem>"), or undefined when it is valid: the same rule as isSeriesName
 * plus the full length (`maxLength`, default MAX_SERIES_LENGTH), said so a
 * person can fix it. The name itself is not quoted: it may be long, and the
 * caller knows it. Used by the slurper host, the agent and the server alike.
 */
export function checkSeriesName(name: string, maxLength: number = MAX_SERIES_LENGTH): string | undefined {
  if (name === '') return `must not be empty; a series name is ${SERIES_NAME_RULE}`;
  if (name.length > maxLength) return `is ${name.length} characters long; the limit is ${maxLength}`;
  const bad = /[^A-Za-z0-9_.-]/u.exec(name);
  if (bad) return `has ${JSON.stringify(bad[0])} at position ${bad.index + 1}; a series name is ${SERIES_NAME_RULE}`;
  if (name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
    return `has an empty segment (a dot at the start or end, or two dots in a row); a series name is ${SERIES_NAME_RULE}`;
  }
  // Graphite lines are checked one by one: a name no longer than a segment may be needs no scan.
  if (name.length > MAX_SEGMENT_LENGTH && LONG_SEGMENT.test(name)) {
    const longest = Math.max(...name.split('.').map((segment) => segment.length));
    return `has a segment of ${longest} characters; the limit is ${MAX_SEGMENT_LENGTH} (each segment is a file or folder name in the store)`;
  }
  return undefined;
}

/** The series the host itself writes for every instance (`<instance>.up`, ...); a slurper may not use them. */
export const HOST_SERIES: readonly string[] = ['up', 'duration_seconds', 'state'];

/** The longest full series name (`<instance>.<series>`) the server takes by default. */
export const MAX_SERIES_LENGTH = 255;

/** The longest threshold range text the server's ingest takes from an agent. */
export const MAX_THRESHOLD_LENGTH = 64;

/**
 * The longest unit a sample may declare (`B`, `s`, `%`, `count`, `°C`,
 * `requests`): a unit is printed after values and on axis titles, so it is
 * short text on one line.
 */
export const MAX_UNIT_LENGTH = 32;

/** A unit as a JSON-schema pattern: no control characters (so one line); its length is MAX_UNIT_LENGTH's. */
export const UNIT_PATTERN = '^[^\\u0000-\\u001f\\u007f]+$';

/** What is wrong with a declared unit, as the end of a message ("unit: <problem>"), or undefined when it is valid. */
export function checkUnit(unit: unknown): string | undefined {
  if (typeof unit !== 'string') return `must be a string (B, s, %, count), got ${typeof unit}`;
  if (unit.length === 0 || unit.length > MAX_UNIT_LENGTH) return `must be 1 to ${MAX_UNIT_LENGTH} characters, got ${unit.length}`;
  return /[\u0000-\u001f\u007f]/u.test(unit) ? 'must be one line without control characters' : undefined;
}

/** The longest state message the server's ingest takes; the host cuts a longer one to this length. */
export const MAX_MESSAGE_LENGTH = 1024;

/**
 * The seconds a sample's declared `interval` (its series' cadence) may take on
 * POST /api/v1/samples: from the first step of the server's ladder (1 s) to
 * the longest month (31 days), so that a monthly job may declare the gap it
 * knows; the ladder's last step is 4 weeks, which every gap of a monthly
 * job snaps to. A sender with a faster or slower schedule sends the nearest
 * bound.
 */
export const INTERVAL_RANGE = { min: 1, max: 31 * 86400 } as const;

/**
 * Archive data-source types a slurper may ask for; the default is GAUGE.
 * COUNTER and DERIVE take whole numbers (COUNTER assumes a 32- or 64-bit
 * wrap when the value falls); DCOUNTER and DDERIVE take fractions
 * (seconds, joules), and a DCOUNTER that falls is a reset, not a wrap.
 */
export const SAMPLE_KINDS = ['GAUGE', 'COUNTER', 'DERIVE', 'ABSOLUTE', 'DCOUNTER', 'DDERIVE'] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];

/** Check states, as Nagios names them. */
export type CheckStatus = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';

/**
 * Thresholds a plugin offers for a series (Nagios perfdata warn/crit, Munin
 * field.warning/critical), in Nagios range syntax (`10`, `10:20`, `~:5`,
 * `@10:20`). Alarm rules use them when no rule of the config overrides them.
 */
export interface OfferedThresholds {
  readonly warning?: string;
  readonly critical?: string;
}

/**
 * Fields of the node a sample's series belongs to (a display `name`,
 * `owner`, `contacts`, any number or string: `{ name: 'Broker one', site:
 * 'ward-3', max_hours: 36 }`), which alarm rules take per-node settings from
 * as from the server's mapping file (docs/metadata.md). A value is a number,
 * a string or a list of them; the server checks them by the mapping file's
 * rules and logs the labels it refuses.
 */
export type SampleLabels = Readonly<Record<string, number | string | readonly (number | string)[]>>;

export interface CollectedSample {
  /** Series name relative to the instance: `status`, `mount.root.used_bytes`. The host prefixes `<instance>.`. */
  readonly series: string;
  /** The value; null records an unknown (a gap, never a zero). */
  readonly value: number | null;
  /** Unix seconds; default: the time the run started. */
  readonly time?: number;
  /** How the archive should treat the value when it creates the series; default GAUGE. */
  readonly kind?: SampleKind;
  /**
   * The unit of the value as sent (checkUnit): `B`, `s`, `%`, `count`,
   * `bit`, `°C`, `W`, or short free text. Base units, not multiples: bytes,
   * not KiB; seconds, not ms (the reader scales them). For a COUNTER or
   * another rate kind it is the unit of what is counted (`B`): the archive
   * stores per-second rates, listed as `B/s`. Absent: unknown.
   */
  readonly unit?: string;
  readonly thresholds?: OfferedThresholds;
  /** Fields of the series' node (SampleLabels); a slurper need give them on one series of the node only. */
  readonly labels?: SampleLabels;
}

export interface CheckState {
  readonly status: CheckStatus;
  /** One line a human can act on. */
  readonly message: string;
}

/** What collect returns: samples only, or samples with a check state. */
export type CollectResult = readonly CollectedSample[] | { readonly samples: readonly CollectedSample[]; readonly state?: CheckState };

/** The logger a slurper gets (pino's shape, so the server's logger fits). */
export interface SlurperLogger {
  debug(message: string): void;
  debug(fields: object, message?: string): void;
  info(message: string): void;
  info(fields: object, message?: string): void;
  warn(message: string): void;
  warn(fields: object, message?: string): void;
  error(message: string): void;
  error(fields: object, message?: string): void;
}

export interface RunCommandOptions {
  /** Extra environment variables (the host's environment is passed too). */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Text written to the command's stdin. */
  readonly input?: string;
  /** Largest stdout kept, in bytes (default 1 MiB); more is an error. */
  readonly maxOutputBytes?: number;
}

export interface CommandResult {
  /** Exit status; null when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** What the host hands each run. */
export interface SlurperContext {
  /** Aborted at the run's timeout (or at shutdown): pass it to every I/O call. */
  readonly signal: AbortSignal;
  readonly log: SlurperLogger;
  /** The run's start time, Unix seconds (the default time of its samples). */
  readonly now: number;
  /** The run's time limit in seconds, from when collect is called: `signal` aborts once it has passed. A slurper that waits on purpose (a measuring window) fits the wait within it. */
  readonly timeoutSeconds: number;
  /** The instance name (which the host prefixes to every series). */
  readonly instance: string;
  /**
   * A folder only this instance uses, kept across runs and restarts (a log
   * offset, the previous reading). Created when first read; reading it
   * throws when it cannot be created.
   */
  readonly stateDir: string;
  /** undici's fetch, already bound to the run's signal; a signal the caller passes is combined with it, never replaces it. */
  readonly fetch: typeof import('undici').fetch;
  /** Runs a program (no shell) and resolves with its output; killed when the run's signal aborts. Rejects only when it cannot start, is killed, or overflows. */
  runCommand(file: string, args: readonly string[], options?: RunCommandOptions): Promise<CommandResult>;
}

/** A slurper: a name, a description, an options schema and one function. */
export interface SlurperDefinition<S extends TSchema = TSchema> {
  /** Unique name, [a-z][a-z0-9_-]*: what the config's `slurper:` key refers to. */
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the options (typebox or plain); defaults are applied and errors name the key. */
  readonly options: S;
  /** One run. Throw (with a message a human can act on) when the target cannot be measured at all. */
  collect(ctx: SlurperContext, options: Static<S>): Promise<CollectResult>;
}

/** Identity at run time; gives the options their type in `collect`. */
export function defineSlurper<S extends TSchema>(definition: SlurperDefinition<S>): SlurperDefinition<S> {
  return definition;
}
