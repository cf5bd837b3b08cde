/**
 * A slurper's options, as configured, checked against its schema with the
 * defaults filled in. Every problem is reported at once, each naming its key:
 *
 *   slurpers.web01.options.url: is required; must be a string
 *   slurpers.web01.options.timeout_ms: must be an integer >= 1, got 0
 *   slurpers.web01.options.ulr: unknown key (allowed: url, expect_status)
 */
import type { Static, TSchema } from 'typebox';
import { Settings } from 'typebox/system';
import { Value } from 'typebox/value';
import { applyDefaults } from './apply-defaults.js';

/** A value (options, an instance's config) that does not fit its schema; `problems` holds one line per key. */
export class SchemaError extends Error {
  override name = 'SchemaError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

/** The JSON Schema keywords these messages read; slurper schemas are plain JSON Schema. */
interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly anyOf?: readonly SchemaNode[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly 'x-expected'?: string;
}

/** What a value must be, as the end of "must be ...". */
function describe(node: SchemaNode | undefined): string {
  if (node === undefined) return 'valid';
  if (node['x-expected'] !== undefined) return node['x-expected'];
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum !== undefined) return `one of ${node.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (node.anyOf !== undefined) return node.anyOf.map(describe).join(' or ');
  const bounds = [node.minimum === undefined ? '' : `>= ${node.minimum}`, node.maximum === undefined ? '' : `<= ${node.maximum}`].filter(Boolean).join(' and ');
  const ranged = (noun: string): string => (bounds ? `${noun} ${bounds}` : noun);
  switch (node.type) {
    case 'integer':
      return ranged('an integer');
    case 'number':
      return ranged('a number');
    case 'boolean':
      return 'true or false';
    case 'string':
      if (node.pattern !== undefined) return `a string matching /${node.pattern}/`;
      return node.minLength ? 'a non-empty string' : 'a string';
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping of keys to values';
    default:
      return 'valid';
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === undefined || value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** TypeBox stops at 8 errors by default; a badly broken config should be reported whole. */
const MAX_ERRORS = 1000;

/** Value.Errors with room for every problem. */
function allErrors(schema: TSchema, value: unknown): ReturnType<typeof Value.Errors> {
  const previous = Settings.Get().maxErrors;
  Settings.Set({ maxErrors: MAX_ERRORS });
  try {
    return Value.Errors(schema, value);
  } finally {
    Settings.Set({ maxErrors: previous });
  }
}

const unescape = (segment: string): string => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/** The node a JSON pointer (`#/properties/url`) names. */
function nodeAt(root: SchemaNode, pointer: string): SchemaNode | undefined {
  const segments = pointer.replace(/^#\/?/, '').split('/').filter(Boolean).map(unescape);
  return segments.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], root) as SchemaNode | undefined;
}

/** `/hosts/0/port` → `.hosts[0].port`, and the value found there. */
function keyAndValue(instancePath: string, root: unknown): { key: string; value: unknown } {
  let key = '';
  let value = root;
  for (const segment of instancePath.split('/').slice(1).map(unescape)) {
    key += Array.isArray(value) ? `[${segment}]` : `.${segment}`;
    value = (value as Record<string, unknown> | undefined)?.[segment];
  }
  return { key, value };
}

/**
 * `raw` with the schema's defaults applied, or a SchemaError listing every
 * problem under `where` (e.g. `slurpers.web01.options`). Never modifies `raw`.
 */
export function prepareOptions<S extends TSchema>(schema: S, raw: unknown, where: string): Static<S> {
  const value = applyDefaults(schema, raw ?? {});
  const problems: string[] = [];
  const seen = new Set<string>();
  const add = (key: string, message: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(`${where}${key}: ${message}`);
  };
  const root = schema as SchemaNode;
  for (const error of allErrors(schema, value)) {
    // A union's branch errors are summed up by its own anyOf error; `false` is additionalProperties, reported below.
    if (/\/(anyOf|oneOf)\/\d+/.test(error.schemaPath) || error.keyword === 'boolean') continue;
    const node = nodeAt(root, error.schemaPath);
    const { key, value: got } = keyAndValue(error.instancePath, value);
    const params = error.params as { requiredProperties?: string[]; additionalProperties?: string[] };
    if (error.keyword === 'required') {
      for (const name of params.requiredProperties ?? []) add(`${key}.${name}`, `is required; must be ${describe(node?.properties?.[name])}`);
    } else if (error.keyword === 'additionalProperties') {
      const allowed = Object.keys(node?.properties ?? {}).join(', ');
      for (const name of params.additionalProperties ?? []) add(`${key}.${name}`, `unknown key (allowed: ${allowed || 'none'})`);
    } else {
      add(key, `must be ${describe(node)}, got ${show(got)}`);
    }
  }
  if (problems.length > 0) throw new SchemaError(problems);
  return value as Static<S>;
}
