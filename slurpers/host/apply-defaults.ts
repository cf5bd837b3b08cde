/**
 * Fills in a JSON Schema's `default`s. TypeBox's Value.Default only honours
 * schemas built by TypeBox (it reads their hidden kind markers), but the
 * contract lets a plain-JavaScript slurper write a plain JSON Schema, whose
 * defaults must apply just the same. Covers what option schemas use:
 * `default` at any level, object `properties`, array `items`.
 */

interface DefaultsNode {
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, DefaultsNode>>;
  readonly items?: DefaultsNode;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value` with defaults filled in, as a new value; `value` itself is not modified. */
export function applyDefaults(schema: unknown, value: unknown): unknown {
  if (!isRecord(schema)) return value;
  const node = schema as DefaultsNode;
  const filled = value === undefined && node.default !== undefined ? structuredClone(node.default) : value;
  if (isRecord(filled) && node.properties !== undefined) {
    const copy: Record<string, unknown> = { ...filled };
    for (const [key, child] of Object.entries(node.properties)) {
      const next = applyDefaults(child, copy[key]);
      if (next !== undefined) copy[key] = next;
    }
    return copy;
  }
  if (Array.isArray(filled) && node.items !== undefined) return filled.map((item) => applyDefaults(node.items, item));
  return filled;
}
