/**
 * The kinds of value the configuration is built from, beyond JSON Schema's
 * own: durations, byte sizes and file paths. Each schema describes the value
 * as the server uses it (whole seconds, whole bytes, an absolute path) and
 * carries an `x-text-form` annotation saying how the file's friendlier text
 * is read first (normalize.ts) by ringmon's one grammar of durations and
 * sizes (lib/): `5m` → 300, `10MiB` → 10485760, `./data` →
 * `/etc/ringmon/data`. Validation then checks the converted number, so
 * `flushIntervalSeconds: 2d` is refused for being too long rather than for
 * being a string.
 *
 * `x-expected` is the wording of "must be ..." in an error, where the
 * generic one (problems.ts) would not say enough.
 */
import { isAbsolute, resolve } from 'node:path';
import { Type, type TInteger, type TObject, type TObjectOptions, type TProperties, type TString } from 'typebox';
import { BYTE_SIZE_FORMS, formatByteSize, readByteSize } from '../../lib/byte-size.js';
import { DURATION_FORMS, formatDuration, readDuration } from '../../lib/duration.js';
import { MAX_UNIT_LENGTH, UNIT_PATTERN } from '../../slurpers/contract.js';

export const TEXT_FORM = 'x-text-form';
export const EXPECTED = 'x-expected';

/** How a string in the file becomes the value the schema describes. */
export type TextForm = 'duration' | 'size' | 'path';

/** An object that refuses keys it does not list, so a typo (`listen.prot`) is an error, not a silent default. */
export function strictObject<P extends TProperties>(properties: P, options: TObjectOptions = {}): TObject<P> {
  return Type.Object(properties, { ...options, additionalProperties: false });
}

interface RangeOptions {
  readonly minimum: number;
  readonly maximum: number;
  readonly default?: number;
}

/** Whole seconds; the file may say `90`, `30s`, `5m`, `1h30m`, `1d` (lib/duration.ts). */
export function durationSeconds(options: RangeOptions): TInteger {
  const range = `between ${formatDuration(options.minimum)} and ${formatDuration(options.maximum)}`;
  return Type.Integer({
    ...options,
    [TEXT_FORM]: 'duration',
    [EXPECTED]: `a duration ${range} (${DURATION_FORMS})`,
  });
}

/** Whole bytes; the file may say `1048576`, `1MiB` or `64MB` (lib/byte-size.ts). */
export function byteSize(options: RangeOptions): TInteger {
  const range = `between ${formatByteSize(options.minimum)} and ${formatByteSize(options.maximum)}`;
  return Type.Integer({
    ...options,
    [TEXT_FORM]: 'size',
    [EXPECTED]: `a size ${range} (${BYTE_SIZE_FORMS})`,
  });
}

/** A unit printed after values and on axis titles (`B`, `s`, `%`, `hours`, `°C`): a sample's unit's bound (slurpers/contract.ts checkUnit). */
export function unitSchema(): TString {
  return Type.String({ minLength: 1, maxLength: MAX_UNIT_LENGTH, pattern: UNIT_PATTERN, [EXPECTED]: `a unit of 1 to ${MAX_UNIT_LENGTH} characters on one line (B, s, %, hours, °C)` });
}

/** A file or directory; a relative path in the file is taken from the config file's directory. */
export function filePath(options: { readonly default?: string } = {}): TString {
  return Type.String({ ...options, minLength: 1, [TEXT_FORM]: 'path', [EXPECTED]: 'a file path' });
}

/** A TCP port. */
export function port(defaultPort: number): TInteger {
  return Type.Integer({ minimum: 1, maximum: 65535, default: defaultPort });
}

/**
 * The value `text` stands for, in the given form; undefined when it does not
 * read as one, leaving the text for validation to refuse with the expected
 * form in the message. Paths are resolved against `baseDir`.
 */
export function readTextForm(form: TextForm, text: string, baseDir: string): number | string | undefined {
  switch (form) {
    case 'duration': {
      const seconds = readDuration(text);
      return typeof seconds === 'number' ? seconds : undefined;
    }
    case 'size': {
      const bytes = readByteSize(text);
      return typeof bytes === 'number' ? bytes : undefined;
    }
    case 'path':
      return text === '' || isAbsolute(text) ? text : resolve(baseDir, text);
    default: {
      const unknown: never = form;
      throw new Error(`unknown text form ${String(unknown)}`);
    }
  }
}

/** The JSON Schema keywords the config's walkers read (normalize.ts, problems.ts); TypeBox schemas are plain JSON Schema. */
export interface SchemaNode {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly minItems?: number;
  /** A union (`match: pattern or list of patterns`): its children are those of its object or array branch. */
  readonly anyOf?: readonly SchemaNode[];
  readonly [TEXT_FORM]?: TextForm;
  readonly [EXPECTED]?: string;
}

/** The schema of a value's child: a property of an object, an item of an array; undefined for an unknown key. */
export function childSchema(node: SchemaNode | undefined, key: string | number): SchemaNode | undefined {
  if (node?.type === 'object') return typeof key === 'string' && Object.hasOwn(node.properties ?? {}, key) ? node.properties?.[key] : undefined;
  if (node?.type === 'array') return node.items;
  for (const branch of node?.anyOf ?? []) {
    const child = childSchema(branch, key);
    if (child !== undefined) return child;
  }
  return undefined;
}
