/**
 * The contract of a configuration section: one top-level key of the config
 * file (`listen`, `archives`, `alarms`...). The part that uses a section
 * owns it: it exports a ConfigSection from its own folder (e.g.
 * server/alarms/config-section.ts), with the type of its value, and
 * server/config/schema.ts lists it; nothing else needs to change for the
 * loader to validate it, fill its defaults and report its errors.
 */
import type { Static, TSchema } from 'typebox';
import type { ReportProblem } from './errors.js';

export interface ConfigSection<S extends TSchema = TSchema> {
  /**
   * The section's shape. Properties with a `default` are filled in when
   * absent; objects must be strictObject (unknown keys are errors). Leaves
   * may use the durations, sizes and paths of leaf-schemas.ts.
   */
  readonly schema: S;
  /**
   * What the schema cannot say: cross-field rules, strings with their own
   * syntax (RRA definitions, patterns). Called only once the section matches
   * its schema. Must report every problem it finds, with its key path
   * relative to the section, and must not throw for bad input.
   */
  readonly check?: (value: Static<S>, report: ReportProblem) => void;
}

/** A value as the loader hands it out: frozen, so read-only all the way down. */
export type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The loaded value of a section with schema `S`: defaults filled in, durations in seconds, sizes in bytes, paths absolute. */
export type SectionValue<S extends TSchema> = DeepReadonly<Static<S>>;

/** Declares a section; the identity function, there to infer `S` and check the shape. */
export function defineSection<S extends TSchema>(section: ConfigSection<S>): ConfigSection<S> {
  return section;
}
