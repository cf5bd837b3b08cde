/**
 * A setting that may vary per node: written as a plain value, or as
 *
 *   { meta: <field>, default: <plain value>, unit: <duration unit> }
 *
 * which takes the value of the series' node's field (node-metadata.ts), and
 * `default` (when given) for a series whose node is unknown, lacks the field
 * or has a value the setting refuses; without a default the setting is then
 * left out. `unit` (h, d, w, ...: lib/duration.ts) is for durations only:
 * a number in the field counts in that unit (`max_hours: 36` with `unit: h`
 * is 36h); a string in the field is read as a duration (`36h`) whatever the
 * unit. Without `unit`, a number is seconds, as everywhere in the config.
 *
 * metaOr(schema) is the config schema of such a setting, for the sections
 * that accept it; resolveSetting gives the value for one node.
 */
import { Type, type TSchema, type TString } from 'typebox';
import { durationUnit, readDuration } from '../../lib/duration.js';
import { EXPECTED, strictObject, TEXT_FORM } from '../config-schema/index.js';
import type { MetaValue, NodeMeta } from './node-metadata.js';

/** A reference to a field of the node's metadata. */
export interface MetaRef<T> {
  readonly meta: string;
  readonly default?: T;
  readonly unit?: string;
}

export type MetaOr<T> = T | MetaRef<T>;

const FIELD = '^[A-Za-z_][A-Za-z0-9_-]{0,63}$';

/** The schema of a field reference alone (`{ meta: contacts }`), for lists that take one among plain items. */
export function metaFieldSchema(): TString {
  return Type.String({ pattern: FIELD, [EXPECTED]: 'a metadata field name (a letter or _, then letters, digits, _ and -)' });
}

/**
 * `schema`, or a reference to a metadata field whose default is of
 * `schema`; `options.default` is the setting's own default (put on the
 * union: a default inside `schema` would fill in the reference's). A duration schema (durationSeconds) also takes `unit`, and its
 * text form (`24h`) is kept on the union so the file's text still reads.
 */
export function metaOr<S extends TSchema>(schema: S, options: { readonly default?: unknown } = {}) {
  const form = (schema as { [TEXT_FORM]?: string })[TEXT_FORM];
  const ref = strictObject({
    meta: metaFieldSchema(),
    default: Type.Optional(schema),
    unit: Type.Optional(Type.String({ pattern: '^(ms|s|m|h|d|w)$', [EXPECTED]: 'a duration unit: ms, s, m, h, d or w' })),
  });
  const expected = (schema as { [EXPECTED]?: string })[EXPECTED];
  return Type.Union([schema, ref], {
    ...options,
    ...(form === undefined ? {} : { [TEXT_FORM]: form }),
    [EXPECTED]: `${expected ?? 'a value'}, or { meta: <field>, default: <value> } to take it from the node's metadata`,
  });
}

export function isMetaRef<T>(setting: MetaOr<T> | undefined): setting is MetaRef<T> {
  return typeof setting === 'object' && setting !== null && !Array.isArray(setting) && typeof (setting as { meta?: unknown }).meta === 'string';
}

/**
 * Reads a field's value as the setting: the value, or the problem with it
 * (which makes resolveSetting fall back to the default).
 */
export type ReadMeta<T> = (value: MetaValue, ref: MetaRef<T>) => T | { readonly problem: string };

/** What a setting is for one node: its value (undefined: left out) and the problem with the node's field, if it was refused. */
export interface Resolved<T> {
  readonly value: T | undefined;
  readonly problem?: string;
}

/** The setting for the node `node` (undefined: a series no node of the file claims). Never throws. */
export function resolveSetting<T>(setting: MetaOr<T> | undefined, node: NodeMeta | undefined, read: ReadMeta<T>): Resolved<T> {
  if (!isMetaRef(setting)) return { value: setting };
  const value = node?.fields[setting.meta];
  if (value === undefined) return { value: setting.default };
  const got = read(value, setting);
  if (typeof got === 'object' && got !== null && 'problem' in got) {
    return { value: setting.default, problem: `node '${node?.id}', field '${setting.meta}': ${got.problem}` };
  }
  return { value: got as T };
}

/** A ReadMeta for durations in seconds between `min` and `max`: a number in the ref's unit (seconds without one), or a duration's text. */
export function readMetaDuration(min: number, max: number): ReadMeta<number> {
  return (value, ref) => {
    let seconds: number | string;
    if (typeof value === 'number') seconds = value * (ref.unit === undefined ? 1 : (durationUnit(ref.unit)?.seconds ?? 1));
    else if (typeof value === 'string') seconds = readDuration(value);
    else return { problem: 'is a list, not a duration' };
    if (typeof seconds === 'string') return { problem: seconds };
    if (!(seconds >= min && seconds <= max)) return { problem: `${seconds} s is outside ${min} to ${max} s` };
    return seconds;
  };
}
