/**
 * Readies the YAML's plain data for validation, guided by the schema:
 *
 * - A known key with no value (`listen:` with everything under it commented
 *   out) counts as absent, so its default applies.
 * - Durations, sizes and paths written as text become what the schema
 *   describes (config-schema/leaf-schemas.ts). Text that does not read as one stays, for
 *   validation to refuse with the expected form in the message.
 *
 * Unknown keys are copied as they are, for validation to report.
 */
import { childSchema, formatKeyPath, readTextForm, TEXT_FORM, type KeyPath, type SchemaNode } from '../config-schema/index.js';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A normalised copy of `value`; `originals` receives, under its formatted
 * key path, the text of each value that was converted, so an error can quote
 * what the file said (`got "2d"`, not `got 172800`).
 */
export function normalizeConfig(schema: SchemaNode | undefined, value: unknown, baseDir: string, originals: Map<string, unknown>, path: KeyPath = []): unknown {
  if (Array.isArray(value)) {
    return value.map((item, i) => normalizeConfig(childSchema(schema, i), item, baseDir, originals, [...path, i]));
  }
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const known = childSchema(schema, key);
      if (child === null && known !== undefined) continue;
      // defineProperty, so that a key named __proto__ stays a key (and an unknown one) instead of setting the prototype.
      Object.defineProperty(copy, key, {
        value: normalizeConfig(known, child, baseDir, originals, [...path, key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  const form = schema?.[TEXT_FORM];
  if (typeof value !== 'string' || form === undefined) return value;
  const read = readTextForm(form, value, baseDir);
  if (read === undefined) return value;
  if (form !== 'path') originals.set(formatKeyPath(path), value);
  return read;
}
