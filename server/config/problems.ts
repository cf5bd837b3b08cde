/**
 * TypeBox's validation errors, reworded for the people who write config
 * files: one problem per key, saying what the key must be and what it was.
 *
 *   listen.port: must be an integer between 1 and 65535, got "80x"
 *   listen.prot: unknown key; did you mean 'port'? (allowed: host, port)
 *   archives.rules[0].match: is required; must be a series pattern such as host.*.cpu.**
 */
import type { TSchema } from 'typebox';
import { Settings } from 'typebox/system';
import { Value } from 'typebox/value';
import { childSchema, EXPECTED, formatKeyPath, type KeyPath, type SchemaNode } from '../config-schema/index.js';

/** A problem before its key path is written out (and perhaps replaced by an environment variable's name). */
export interface PathProblem {
  readonly path: KeyPath;
  readonly message: string;
}

/** Enough for any config file; TypeBox's default of 8 would hide the rest of a badly broken one. */
const MAX_ERRORS = 1000;

function range(noun: string, node: SchemaNode): string {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = node;
  if (minimum !== undefined && maximum !== undefined) return `${noun} between ${minimum} and ${maximum}`;
  const bounds = [
    minimum === undefined ? '' : `>= ${minimum}`,
    exclusiveMinimum === undefined ? '' : `> ${exclusiveMinimum}`,
    maximum === undefined ? '' : `<= ${maximum}`,
    exclusiveMaximum === undefined ? '' : `< ${exclusiveMaximum}`,
  ].filter((b) => b !== '');
  return bounds.length === 0 ? noun : `${noun} ${bounds.join(' and ')}`;
}

/** What a value must be, as the end of "must be ...". */
export function describeSchema(node: SchemaNode | undefined): string {
  if (node === undefined) return 'valid';
  if (node[EXPECTED] !== undefined) return node[EXPECTED];
  if (node.enum !== undefined) return `one of ${node.enum.join(', ')}`;
  switch (node.type) {
    case 'integer':
      return range('an integer', node);
    case 'number':
      return range('a number', node);
    case 'boolean':
      return 'true or false';
    case 'string':
      return node.minLength ? 'a non-empty string' : 'a string';
    case 'array':
      return node.minItems ? 'a non-empty list' : 'a list';
    case 'object':
      return 'a mapping of keys to values';
    default:
      return 'valid';
  }
}

/** The value as an error quotes it: strings in quotes, cut short; containers by kind. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** Optimal string alignment distance: edits, counting a swap of neighbours as one. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const near = allowed
    .map((name) => ({ name, distance: name.toLowerCase() === key.toLowerCase() ? 0 : editDistance(name, key) }))
    .filter(({ distance }) => distance <= Math.min(2, key.length - 1))
    .sort((x, y) => x.distance - y.distance)[0];
  const guess = near === undefined ? '' : `; did you mean '${near.name}'?`;
  return `unknown key${guess} (allowed: ${allowed.join(', ')})`;
}

/** JSON pointer segments, with list indexes as numbers (known from the value, which is a list there). */
function pointerToPath(pointer: string, root: unknown): KeyPath {
  const path: (string | number)[] = [];
  let value = root;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    const key = Array.isArray(value) ? Number(segment) : segment;
    path.push(key);
    value = (value as Record<string | number, unknown> | undefined)?.[key];
  }
  return path;
}

function schemaAt(root: SchemaNode, path: KeyPath): SchemaNode | undefined {
  return path.reduce<SchemaNode | undefined>((node, key) => childSchema(node, key), root);
}

function valueAt(root: unknown, path: KeyPath): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<string | number, unknown> | undefined)?.[key], root);
}

/**
 * Every way `value` fails `schema`, one problem per key, in the order
 * TypeBox finds them. `originals` maps formatted key paths to the text a
 * value was converted from (normalize.ts), which is what "got" quotes.
 */
export function schemaProblems(schema: TSchema, value: unknown, originals: ReadonlyMap<string, unknown>): PathProblem[] {
  const root = schema as SchemaNode;
  const previous = Settings.Get().maxErrors;
  Settings.Set({ maxErrors: MAX_ERRORS });
  let errors;
  try {
    errors = Value.Errors(schema, value);
  } finally {
    Settings.Set({ maxErrors: previous });
  }
  const problems: PathProblem[] = [];
  const seen = new Set<string>();
  const add = (path: KeyPath, message: string): void => {
    const key = formatKeyPath(path);
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ path, message });
  };
  for (const error of errors) {
    const path = pointerToPath(error.instancePath, value);
    const node = schemaAt(root, path);
    const params = error.params as { additionalProperties?: string[]; requiredProperties?: string[] };
    if (error.keyword === 'additionalProperties') {
      const allowed = Object.keys(node?.properties ?? {});
      for (const key of params.additionalProperties ?? []) add([...path, key], unknownKeyMessage(key, allowed));
    } else if (error.keyword === 'required') {
      for (const key of params.requiredProperties ?? []) add([...path, key], `is required; must be ${describeSchema(childSchema(node, key))}`);
    } else if (error.keyword !== 'boolean') {
      // 'boolean' is the `false` schema of additionalProperties, already reported as an unknown key.
      const key = formatKeyPath(path);
      // A union (a list or a metadata reference, say) whose branch already said what is wrong inside it: that says more.
      if (node?.anyOf !== undefined && problems.some((p) => p.path.length > path.length && formatKeyPath(p.path.slice(0, path.length)) === key)) continue;
      const got = originals.has(key) ? originals.get(key) : valueAt(value, path);
      add(path, `must be ${describeSchema(node)}, got ${showValue(got)}`);
    }
  }
  return problems;
}
