/**
 * What a Munin plugin prints (Munin's "Protocol for data exchange" and
 * plugin reference): `plugin config` prints `graph_*` attributes and
 * `field.attribute value` lines; `plugin` (fetch) prints `field.value N`,
 * `U` for unknown, or `field.value EPOCH:N` with the sample's own time.
 * `multigraph NAME` starts another graph in either output (NAME's dots nest
 * graphs); fields before any `multigraph` line belong to the plugin's graph,
 * named null here. `.draw`, `.colour`, `.negative` and the like are
 * presentation and are not kept; `.cdef` is kept as written (munin-unit.ts
 * reads it).
 */

export type MuninFieldType = 'GAUGE' | 'COUNTER' | 'DERIVE' | 'ABSOLUTE';

export interface MuninField {
  readonly name: string;
  label?: string;
  type: MuninFieldType;
  min?: number;
  max?: number;
  /** Converted to Nagios range syntax (`munin 92` = `~:92`). */
  warning?: string;
  critical?: string;
  /** The RPN expression Munin draws the field with (`down,8,*`), as written: the unit of what is drawn may not be that of the values. */
  cdef?: string;
}

export interface MuninGraph {
  /** The multigraph name; null for the single graph of a plain plugin. */
  readonly name: string | null;
  /** `graph_title`, `graph_vlabel`, `graph_args`, ... without the `graph_` prefix. */
  readonly attributes: Record<string, string>;
  /** In the order they were first named. */
  readonly fields: MuninField[];
}

export interface MuninValue {
  readonly graph: string | null;
  readonly field: string;
  readonly value: number | null;
  /** Unix seconds, when the plugin gave `EPOCH:N`. */
  readonly time?: number;
}

export interface MuninConfig {
  readonly graphs: readonly MuninGraph[];
  /** Values printed with the config (dirtyconfig). */
  readonly values: readonly MuninValue[];
  readonly problems: readonly string[];
}

const TYPES: ReadonlySet<string> = new Set(['GAUGE', 'COUNTER', 'DERIVE', 'ABSOLUTE']);
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/u;

/** Splits output into `key value` lines, tracking the multigraph each belongs to. */
function* lines(text: string): Generator<{ graph: string | null; key: string; rest: string; line: string }> {
  let graph: string | null = null;
  for (const raw of text.split(/\r?\n/u)) {
    const line = raw.trim();
    if (line === '' || line === '.' || line.startsWith('#')) continue;
    const space = line.search(/\s/u);
    const key = space < 0 ? line : line.slice(0, space);
    const rest = space < 0 ? '' : line.slice(space).trim();
    if (key === 'multigraph') graph = rest;
    else yield { graph, key, rest, line };
  }
}

export function parseMuninConfig(text: string): MuninConfig {
  const graphs = new Map<string | null, MuninGraph>();
  const values: MuninValue[] = [];
  const problems: string[] = [];
  const graphOf = (name: string | null): MuninGraph => {
    let g = graphs.get(name);
    if (!g) graphs.set(name, (g = { name, attributes: {}, fields: [] }));
    return g;
  };
  for (const { graph, key, rest, line } of lines(text)) {
    if (key === 'host_name') continue; // which host a node-side plugin speaks for: the instance says that
    const g = graphOf(graph);
    if (key.startsWith('graph_')) { g.attributes[key.slice('graph_'.length)] = rest; continue; }
    const dot = key.lastIndexOf('.');
    if (dot <= 0) { problems.push(`${JSON.stringify(line)}: neither graph_* nor field.attribute`); continue; }
    const name = key.slice(0, dot);
    const attribute = key.slice(dot + 1);
    if (attribute === 'value') {
      const value = readValue(graph, name, rest);
      if (typeof value === 'string') problems.push(`${JSON.stringify(line)}: ${value}`);
      else values.push(value);
      continue;
    }
    let field = g.fields.find((f) => f.name === name);
    if (!field) g.fields.push((field = { name, type: 'GAUGE' }));
    const problem = setAttribute(field, attribute, rest);
    if (problem) problems.push(`${JSON.stringify(line)}: ${problem}`);
  }
  return { graphs: [...graphs.values()], values, problems };
}

function setAttribute(field: MuninField, attribute: string, text: string): string | undefined {
  switch (attribute) {
    case 'label': field.label = text; return undefined;
    case 'type':
      if (!TYPES.has(text)) return `type must be GAUGE, COUNTER, DERIVE or ABSOLUTE`;
      field.type = text as MuninFieldType;
      return undefined;
    case 'min': case 'max':
      if (text === 'U' || text === '') return undefined;
      if (!NUMBER.test(text) || !Number.isFinite(Number(text))) return `${attribute} is not a number`;
      field[attribute] = Number(text);
      return undefined;
    case 'warning': case 'critical': {
      const range = muninRangeToNagios(text);
      if (range === null) return `${attribute} is not a Munin range (max, min:, :max or min:max)`;
      if (range !== undefined) field[attribute] = range;
      return undefined;
    }
    case 'cdef': field.cdef = text; return undefined;
    default: return undefined; // presentation (draw, colour, info, negative, graph, ...)
  }
}

/**
 * Munin's `min:max` (alarm outside it; a bare number is a maximum) in
 * Nagios range syntax, where a bare number would also alarm below zero.
 * Undefined for an empty range, null for text that is not one.
 */
export function muninRangeToNagios(text: string): string | undefined | null {
  if (text === '') return undefined;
  const parts = text.split(':');
  if (parts.length > 2 || parts.some((p) => p !== '' && !NUMBER.test(p))) return null;
  const [min = '', max = ''] = parts.length === 1 ? ['', parts[0]] : parts;
  if (min === '' && max === '') return null;
  return `${min === '' ? '~' : min}:${max}`;
}

export function parseMuninFetch(text: string): { values: MuninValue[]; problems: string[] } {
  const values: MuninValue[] = [];
  const problems: string[] = [];
  for (const { graph, key, rest, line } of lines(text)) {
    if (key.endsWith('.extinfo')) continue;
    const value = key.endsWith('.value') ? readValue(graph, key.slice(0, -'.value'.length), rest) : 'not a field.value line';
    if (typeof value === 'string') problems.push(`${JSON.stringify(line)}: ${value}`);
    else values.push(value);
  }
  return { values, problems };
}

/** A `field.value` line's value, or the reason it cannot be read. */
function readValue(graph: string | null, field: string, text: string): MuninValue | string {
  const colon = text.indexOf(':');
  const [timeText, valueText] = colon < 0 ? [undefined, text] : [text.slice(0, colon), text.slice(colon + 1)];
  if (field === '') return 'empty field name';
  if (timeText !== undefined && !/^[1-9]\d*$/u.test(timeText)) return 'time before ":" is not Unix seconds';
  if (valueText !== 'U' && !(NUMBER.test(valueText) && Number.isFinite(Number(valueText)))) return 'value is not a number or U';
  return {
    graph, field,
    value: valueText === 'U' ? null : Number(valueText),
    ...(timeText === undefined ? {} : { time: Number(timeText) }),
  };
}
