/**
 * Values that fit a JSON schema, as fast-check arbitraries: what a well
 * behaved client of a route would send. Strings and numbers whose field name
 * says what they are (series, match, start, id, ...) are drawn mostly from the
 * names and times the fuzzed server knows, so that a good share of the
 * requests pass validation and reach the handlers; a pattern's strings come
 * from a small fixed pool, so that accepted requests create a bounded number
 * of series and agents (each archive takes 0.2 MB on disk).
 */
import fc from 'fast-check';
import type { JsonSchema } from './openapi-routes.js';

/** What the fuzzed server knows, for values that mean something to it. */
export interface KnownValues {
  /** Series that exist (and a few that could). */
  readonly series: readonly string[];
  /** Globs over them. */
  readonly patterns: readonly string[];
  /** Agent, report and instance names. */
  readonly names: readonly string[];
  /** Downtime ids and other small integers. */
  readonly ids: readonly number[];
  /** Unix seconds near now. */
  readonly now: number;
}

const TIME_FIELDS = new Set(['t', 'start', 'end', 'from', 'to', 'lastRun', 'until', 'since']);
const SERIES_FIELDS = new Set(['series', 'match', 'scope']);

/** An arbitrary of values valid for `schema`; `field` is the property or parameter name it belongs to. */
export function valuesOf(schema: JsonSchema, known: KnownValues, field = ''): fc.Arbitrary<unknown> {
  const base = plainValuesOf(schema, known, field);
  return schema.nullable === true ? fc.oneof({ arbitrary: base, weight: 4 }, { arbitrary: fc.constant(null), weight: 1 }) : base;
}

function plainValuesOf(schema: JsonSchema, known: KnownValues, field: string): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if ('const' in schema) return fc.constant(schema.const);
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((s) => valuesOf(s, known, field)));
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return valuesOf({ ...schema, allOf: undefined, ...schema.allOf[0] }, known, field);
  switch (schema.type) {
    case 'string':
      return stringsOf(schema, known, field);
    case 'integer':
    case 'number':
      return numbersOf(schema, known, field);
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = Math.max(min, Math.min(schema.maxItems ?? min + 4, min + 4));
      return fc.array(valuesOf(schema.items ?? {}, known, field), { minLength: min, maxLength: max });
    }
    case 'object':
      return objectsOf(schema, known);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectsOf(schema: JsonSchema, known: KnownValues): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) model[name] = valuesOf(property, known, name);
  const required = ((schema.required ?? []) as string[]).filter((name) => name in model);
  return fc.record(model, { requiredKeys: required });
}

/** A few strings matching each pattern, made once per pattern (seeded: the same on every run). */
const patternPools = new Map<string, string[]>();
function poolOf(pattern: string, maxLength: number): string[] {
  const key = `${pattern}/${maxLength}`;
  let pool = patternPools.get(key);
  if (!pool) {
    const short = fc.stringMatching(new RegExp(pattern)).filter((s) => s.length <= Math.min(maxLength, 40));
    pool = fc.sample(short, { seed: 14, numRuns: 6 });
    patternPools.set(key, pool);
  }
  return pool;
}

function stringsOf(schema: JsonSchema, known: KnownValues, field: string): fc.Arbitrary<string> {
  const maxLength = schema.maxLength ?? 64;
  const minLength = schema.minLength ?? 0;
  const fits = (s: string) => s.length >= minLength && s.length <= maxLength && (schema.pattern === undefined || new RegExp(schema.pattern).test(s));
  const meaningful = [
    ...(SERIES_FIELDS.has(field) ? [...known.series, ...known.series, ...known.patterns] : []),
    ...(TIME_FIELDS.has(field) ? [new Date((known.now - 3600) * 1000).toISOString(), new Date((known.now + 3600) * 1000).toISOString(), String(known.now)] : []),
    ...known.names,
  ].filter(fits);
  // Mostly what the server knows (hostile strings come from the mutations), sometimes anything the schema allows.
  const drawn: { arbitrary: fc.Arbitrary<string>; weight: number }[] = [];
  if (meaningful.length > 0) drawn.push({ arbitrary: fc.constantFrom(...meaningful), weight: 8 });
  if (schema.pattern !== undefined) {
    const pool = poolOf(schema.pattern, maxLength).filter(fits);
    if (pool.length > 0) drawn.push({ arbitrary: fc.constantFrom(...pool), weight: 2 });
  } else {
    drawn.push({ arbitrary: fc.string({ minLength, maxLength: Math.max(minLength, Math.min(maxLength, 24)) }), weight: 2 });
  }
  return drawn.length > 0 ? fc.oneof(...drawn) : fc.constant('a'.repeat(Math.max(1, minLength)));
}

function numbersOf(schema: JsonSchema, known: KnownValues, field: string): fc.Arbitrary<number> {
  const integer = schema.type === 'integer';
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1e6);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : Number.MAX_SAFE_INTEGER);
  const clamp = (n: number) => Math.min(max, Math.max(min, n));
  const inRange = (n: number) => n >= min && n <= max;
  const meaningful = [
    ...(TIME_FIELDS.has(field) ? [known.now - 3600, known.now - 60, known.now, known.now + 3600] : []),
    ...(field === 'id' || field === 'before' ? known.ids : []),
  ].filter(inRange);
  const between = (low: number, high: number) =>
    integer ? fc.integer({ min: Math.max(low, Number.MIN_SAFE_INTEGER), max: Math.min(high, Number.MAX_SAFE_INTEGER) }) : fc.double({ min: low, max: high, noNaN: true, noDefaultInfinity: true });
  // Small values, any value of the range, and for times anything within 30 years of now.
  const spreads = [between(min, clamp(min + 1000)), between(min, max)];
  if (TIME_FIELDS.has(field) && inRange(known.now)) spreads.push(between(clamp(known.now - 1e9), clamp(known.now + 1e9)));
  return meaningful.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...meaningful), weight: 6 }, ...spreads.map((arbitrary) => ({ arbitrary, weight: 1 }))) : fc.oneof(...spreads);
}
