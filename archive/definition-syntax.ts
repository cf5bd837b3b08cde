/**
 * rrdtool's definition strings, parsed into the engine's types and formatted
 * back, so that `rrdtool create` arguments and server configuration read the
 * same:
 *
 *   DS:name:TYPE:heartbeat:min:max     TYPE: GAUGE COUNTER DERIVE ABSOLUTE DCOUNTER DDERIVE
 *                                      heartbeat: seconds, or a duration (10m); min/max: number or U
 *   RRA:CF:xff:steps:rows              CF: AVERAGE MIN MAX LAST; steps and rows: counts, or
 *                                      durations (RRA:AVERAGE:0.5:1m:1d) divided by the step
 *
 * and Graphite's retention strings (`10s:1d,1m:30d`), which become one RRA
 * per consolidation function and retention.
 *
 * Numbers (min, max, xff) are read with rrdtool's own decimal parser, so an
 * archive stores the same doubles rrdtool would. Where rrdtool 1.7 is lax,
 * ringmon refuses rather than guess: extra fields after max (rrdtool ignores
 * them) and empty fields (rrdtool's strtok skips them); and it refuses what
 * the engine does not implement: `name=source` mappings (rrdtool's
 * --source), COMPUTE data sources and the Holt-Winters CFs.
 *
 * Every error is an InvalidDefinitionError naming the input and the field.
 */
import {
  CONSOLIDATION_FUNCTIONS,
  DS_NAME_PATTERN,
  DS_TYPES,
  validateDefinition,
  type ArchiveDefinition,
  type ConsolidationFunction,
  type DataSourceDefinition,
  type DsType,
  type RraDefinition,
} from './definition.js';
import { readDuration } from '../lib/duration.js';
import { InvalidDefinitionError } from './errors.js';
import { parseFloatValue } from './value-text.js';

const HOLT_WINTERS_CFS = ['HWPREDICT', 'MHWPREDICT', 'SEASONAL', 'DEVSEASONAL', 'DEVPREDICT', 'FAILURES'];

function fail(input: string, field: string, problem: string): never {
  throw new InvalidDefinitionError(`'${input}': ${field}: ${problem}`);
}

/**
 * rrdtool's scaled duration: a bare count (`288`), or a duration in
 * ringmon's grammar (lib/duration.ts: `1d`, `5m`, `1h30m`, with rrdtool's
 * M = 31 and y = 366 days) divided by `divisor`, which must divide it
 * evenly. Returns the problem as a string, for callers to word the error;
 * the result is always a whole number >= 1.
 */
export function scaledDuration(text: string, divisor: number): number | string {
  const match = /^(\d+)(.*)$/.exec(text);
  if (!match) return `'${text}' must be a positive whole number, optionally with a suffix s m h d w M y`;
  const [, digits, rest] = match;
  if (/^\.?\d*$/.test(rest)) {
    // A bare number is a count, never seconds: it must be whole.
    if (rest !== '') return `'${text}' has trailing garbage '${rest}'`;
    const count = Number(digits);
    if (count === 0) return `'${text}' must be positive`;
    return Number.isSafeInteger(count) ? count : `'${text}' is out of range`;
  }
  const seconds = readDuration(text);
  if (typeof seconds === 'string') return seconds;
  if (seconds === 0) return `'${text}' must be positive`;
  if (seconds > Number.MAX_SAFE_INTEGER) return `'${text}' is out of range`;
  if (!Number.isInteger(seconds / divisor)) return `'${text}' (${seconds} s) is not a whole multiple of ${divisor} s`;
  return seconds / divisor;
}

/** scaledDuration that throws InvalidDefinitionError naming `field` and `input`. */
export function parseScaledDuration(text: string, divisor: number, field: string, input: string = text): number {
  const result = scaledDuration(text, divisor);
  if (typeof result === 'string') fail(input, field, result);
  return result;
}

function parseBound(input: string, field: string, text: string): number {
  if (text === 'U') return NaN;
  const value = parseFloatValue(text);
  if (value === undefined) fail(input, field, `'${text}' is not a number or U`);
  return value;
}

/** `DS:name:TYPE:heartbeat:min:max` → DataSourceDefinition. */
export function parseDataSource(input: string): DataSourceDefinition {
  const fields = input.split(':');
  if (fields[0] !== 'DS') fail(input, 'DS', 'a data source definition starts with DS:');
  const [, name = '', type = '', heartbeat, min, max, ...extra] = fields;
  if (name.includes('=')) fail(input, 'name', `'${name}': name=source mappings (rrdtool's --source) are not supported`);
  if (!DS_NAME_PATTERN.test(name)) fail(input, 'name', `'${name}' must be 1-19 characters of [a-zA-Z0-9_]`);
  if (type === 'COMPUTE') {
    fail(input, 'type', `COMPUTE data sources are not supported; use one of ${DS_TYPES.join(', ')}`);
  }
  if (!(DS_TYPES as readonly string[]).includes(type)) fail(input, 'type', `'${type}' is not one of ${DS_TYPES.join(', ')}`);
  if (heartbeat === undefined || min === undefined || max === undefined) {
    fail(input, 'fields', 'expected DS:name:TYPE:heartbeat:min:max (min and max may be U)');
  }
  if (extra.length > 0) fail(input, 'fields', `unexpected field '${extra[0]}' after max`);
  const ds: DataSourceDefinition = {
    name,
    type: type as DsType,
    heartbeat: parseScaledDuration(heartbeat, 1, 'heartbeat', input),
    min: parseBound(input, 'min', min),
    max: parseBound(input, 'max', max),
  };
  if (ds.min >= ds.max) fail(input, 'min', `${min} must be less than max ${max}`);
  return ds;
}

/** `RRA:CF:xff:steps:rows` → RraDefinition; durations in steps and rows are divided by `step`. */
export function parseRra(input: string, step: number): RraDefinition {
  const fields = input.split(':');
  if (fields[0] !== 'RRA') fail(input, 'RRA', 'an archive definition starts with RRA:');
  const [, cf = '', xff, steps, rows, ...extra] = fields;
  if (HOLT_WINTERS_CFS.includes(cf)) {
    fail(input, 'cf', `${cf} (Holt-Winters forecasting) is not supported; use one of ${CONSOLIDATION_FUNCTIONS.join(', ')}`);
  }
  if (!(CONSOLIDATION_FUNCTIONS as readonly string[]).includes(cf)) {
    fail(input, 'cf', `'${cf}' is not one of ${CONSOLIDATION_FUNCTIONS.join(', ')}`);
  }
  if (xff === undefined || steps === undefined || rows === undefined) fail(input, 'fields', 'expected RRA:CF:xff:steps:rows');
  if (extra.length > 0) fail(input, 'fields', `unexpected field '${extra[0]}' after rows`);
  const xffValue = parseFloatValue(xff);
  if (xffValue === undefined || !(xffValue >= 0 && xffValue < 1)) fail(input, 'xff', `'${xff}' must be a number >= 0 and < 1`);
  const pdpPerRow = parseScaledDuration(steps, step, 'steps', input);
  return {
    cf: cf as ConsolidationFunction,
    xff: xffValue,
    pdpPerRow,
    rows: parseScaledDuration(rows, step * pdpPerRow, 'rows', input),
  };
}

/**
 * A whole definition from rrdtool create's positional arguments (DS: and
 * RRA: strings in any order), validated as the engine will store it.
 */
export function parseArchiveDefinition(step: number, specs: readonly string[]): ArchiveDefinition {
  const dataSources: DataSourceDefinition[] = [];
  const rras: RraDefinition[] = [];
  for (const spec of specs) {
    if (spec.startsWith('DS:')) dataSources.push(parseDataSource(spec));
    else if (spec.startsWith('RRA:')) rras.push(parseRra(spec, step));
    else fail(spec, 'kind', 'expected a DS:... or RRA:... definition');
  }
  const definition: ArchiveDefinition = { step, dataSources, rras };
  validateDefinition(definition);
  return definition;
}

/**
 * A text that parses back to exactly `n`. Numbers are read as rrdtool reads
 * them (parseFloatValue), which is not correctly rounded: JavaScript's
 * shortest text works for everyday values, but for extreme exponents
 * (1e-300) rrdtool's reading is off by a few units in the last place, so
 * 17-digit mantissas near n are searched for one it reads as n. Falls back
 * to the shortest text (off by those few units) if none is found.
 */
function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'U';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  const shortest = String(n);
  if (parseFloatValue(shortest) === n) return shortest;
  const [mantissa, exponent] = n.toExponential(16).split('e');
  const digits = BigInt(mantissa.replace(/[-.]/g, ''));
  const sign = n < 0 ? '-' : '';
  for (let d = 0n; d <= 200n; d++) {
    for (const candidate of [digits + d, digits - d]) {
      const text = `${sign}${candidate}e${Number(exponent) - 16}`;
      if (parseFloatValue(text) === n) return text;
    }
  }
  return shortest;
}

/** The rrdtool string for a DS; parseDataSource(formatDataSource(ds)) equals ds. */
export function formatDataSource(ds: DataSourceDefinition): string {
  return `DS:${ds.name}:${ds.type}:${ds.heartbeat}:${formatNumber(ds.min)}:${formatNumber(ds.max)}`;
}

/** The rrdtool string for an RRA, in counts (not durations), so it parses back under any step. */
export function formatRra(rra: RraDefinition): string {
  return `RRA:${rra.cf}:${formatNumber(rra.xff)}:${rra.pdpPerRow}:${rra.rows}`;
}

/** The create arguments for a definition: DS strings, then RRA strings. */
export function formatArchiveDefinition(def: ArchiveDefinition): string[] {
  return [...def.dataSources.map(formatDataSource), ...def.rras.map(formatRra)];
}

/** Graphite's (whisper's) units: any prefix of the unit's name; y is 365 days. */
const GRAPHITE_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['seconds', 1],
  ['minutes', 60],
  ['hours', 3600],
  ['days', 86400],
  ['weeks', 7 * 86400],
  ['years', 365 * 86400],
];

/** A Graphite amount: `60` (bare: seconds, or points when `bareIsCount`) or `1m`, `2hours`. */
function graphiteAmount(input: string, field: string, text: string): { value: number; unit: boolean } {
  const match = /^(\d+)([a-z]*)$/.exec(text);
  if (!match) fail(input, field, `'${text}' must be a whole number with an optional unit (s, min, h, d, w, y)`);
  const [, digits, unit] = match;
  if (unit === '') return { value: Number(digits), unit: false };
  const found = GRAPHITE_UNITS.find(([name]) => name.startsWith(unit));
  if (!found) fail(input, field, `unknown unit '${unit}' in '${text}'`);
  return { value: Number(digits) * found[1], unit: true };
}

export interface RetentionOptions {
  /** The archive's step in seconds; every precision must be a multiple of it. */
  readonly step: number;
  /** One RRA per CF for each retention, in this order. */
  readonly cfs: readonly ConsolidationFunction[];
  /** Graphite's xFilesFactor; default 0.5, whisper's default. */
  readonly xff?: number;
}

/**
 * Graphite retentions, `precision:duration[,precision:duration...]` (e.g.
 * `10s:1d,1m:30d,1h:5y`), as RRAs: pdpPerRow = precision / step and rows =
 * duration / precision, rounded down as whisper does. A bare precision is
 * seconds; a bare duration is a number of points.
 */
export function parseRetentions(input: string, options: RetentionOptions): RraDefinition[] {
  const { step, cfs, xff = 0.5 } = options;
  if (cfs.length === 0) fail(input, 'cfs', 'at least one consolidation function is required');
  const rras: RraDefinition[] = [];
  input.split(',').forEach((part, i) => {
    const retention = part.trim();
    const field = `retention ${i}`;
    const pieces = retention.split(':');
    if (pieces.length !== 2) fail(input, field, `'${retention}' must be precision:duration`);
    const precision = graphiteAmount(input, `${field} precision`, pieces[0]).value;
    if (precision === 0) fail(input, `${field} precision`, `'${pieces[0]}' must be positive`);
    if (precision % step !== 0) fail(input, `${field} precision`, `${precision} s is not a multiple of the step ${step} s`);
    const duration = graphiteAmount(input, `${field} duration`, pieces[1]);
    const rows = duration.unit ? Math.floor(duration.value / precision) : duration.value;
    if (rows < 1) fail(input, `${field} duration`, `'${pieces[1]}' is shorter than one ${precision} s point`);
    for (const cf of cfs) rras.push({ cf, xff, pdpPerRow: precision / step, rows });
  });
  return rras;
}
