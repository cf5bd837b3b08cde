/**
 * The mapping file read into nodes: JSON or YAML (a mapping of node ids to
 * mappings of fields) or CSV (a header line whose first column is `id`, one
 * node a line), chosen by the file's extension. Every bound is checked as
 * the file is read, and a refusal names the line, the node and the field:
 *
 *   node ids     A-Z a-z 0-9 _ - (a series segment), 1 to 255 characters
 *   fields       the rules of lib/node-fields.ts (names, values, `name`,
 *                `owner`, `contacts`), shared with labels on samples; in
 *                CSV `contacts` is one cell with the addresses separated by `;`
 *
 * In CSV a cell that reads as a number is a number, and a cell holding `;`
 * is a list of its parts. Lines starting with `#` are comments.
 */
import { extname } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Pair } from 'yaml';
import { checkFields } from '../../lib/node-fields.js';
import type { NodeMeta } from './node-metadata.js';

export { EMAIL_ADDRESS, MAX_FIELDS, MAX_LIST_ITEMS, MAX_STRING } from '../../lib/node-fields.js';

export const MAX_NODES = 100_000;

const NODE_ID = /^[A-Za-z0-9_-]{1,255}$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** A refused file: the message names where (line, node, field) and what is wrong. */
export class MetadataFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetadataFileError';
  }
}

export type MetadataFormat = 'json' | 'yaml' | 'csv';

/** The format of `file` by its extension; undefined for another. */
export function metadataFormat(file: string): MetadataFormat | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.csv') return 'csv';
  return undefined;
}

/** The nodes of `text`, in its order; throws MetadataFileError naming the line, node and field at fault. */
export function readMetadata(text: string, format: MetadataFormat): Map<string, NodeMeta> {
  const raw = format === 'csv' ? readCsv(text) : format === 'json' ? readJson(text) : readYaml(text);
  const nodes = new Map<string, NodeMeta>();
  for (const { line, id, fields } of raw) {
    // Written only for a message: JSON looks its lines up in the text.
    const at = (): string => `line ${line()}, node '${id.slice(0, 64)}'`;
    if (!NODE_ID.test(id)) throw new MetadataFileError(`${at()}: a node id must be 1 to 255 characters of A-Z a-z 0-9 _ - (a series segment)`);
    if (nodes.has(id)) throw new MetadataFileError(`${at()}: the node is given twice`);
    if (nodes.size === MAX_NODES) throw new MetadataFileError(`${at()}: more than ${MAX_NODES} nodes`);
    nodes.set(id, nodeOf(id, fields, at));
  }
  return nodes;
}

/** A node as a format reads it; lines are asked only for a message (JSON finds them then). */
interface RawNode {
  readonly line: () => number;
  readonly id: string;
  readonly fields: readonly (readonly [name: string, value: unknown, line: () => number])[];
}

function nodeOf(id: string, fields: RawNode['fields'], at: () => string): NodeMeta {
  const checked = checkFields(fields);
  if (!('fields' in checked)) {
    const where = checked.at === undefined ? at() : `line ${fields[checked.at][2]()}, node '${id}', field '${fields[checked.at][0].slice(0, 64)}'`;
    throw new MetadataFileError(`${where}: ${checked.problem}`);
  }
  const out = checked.fields;
  const name = out.name;
  return typeof name === 'string' ? { id, name, fields: out } : { id, fields: out };
}

function readYaml(text: string): RawNode[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const lineOf = (offset: number | undefined): number => (offset === undefined ? 0 : lineCounter.linePos(offset).line);
  const error = doc.errors[0];
  if (error !== undefined) throw new MetadataFileError(`line ${lineOf(error.pos[0])}: ${error.message.split('\n')[0]}`);
  if (doc.contents === null) return [];
  if (!isMap(doc.contents)) throw new MetadataFileError(`line ${lineOf(doc.contents.range?.[0])}: the file must map node ids to their fields`);
  return doc.contents.items.map((pair: Pair) => {
    const at = lineOf(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
    const line = (): number => at;
    const id = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!isMap(pair.value)) throw new MetadataFileError(`line ${at}, node '${id.slice(0, 64)}': must be a mapping of fields (name, owner, contacts, ...)`);
    const fields = pair.value.items.map((field: Pair) => {
      const name = isScalar(field.key) ? String(field.key.value) : '';
      const value: unknown = field.value === null ? null : (field.value as { toJSON(): unknown }).toJSON();
      const fieldLine = lineOf(isScalar(field.key) ? field.key.range?.[0] : undefined);
      return [name, value, () => fieldLine] as const;
    });
    return { line, id, fields };
  });
}

/**
 * JSON by JSON.parse, which reads a large file some ten times faster than
 * the YAML parser; a node's or field's line is found in the text only for
 * a message, as the line of the first `"key":` after the node's own.
 */
function readJson(text: string): RawNode[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new MetadataFileError(`line ${lineAt(text, Number(/position (\d+)/.exec(String(e))?.[1] ?? 0))}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new MetadataFileError('line 1: the file must map node ids to their fields');
  return Object.entries(data).map(([id, fields]) => {
    const line = (): number => lineAt(text, keyAt(text, id, 0));
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new MetadataFileError(`line ${line()}, node '${id.slice(0, 64)}': must be a mapping of fields (name, owner, contacts, ...)`);
    return { line, id, fields: Object.entries(fields).map(([name, value]) => [name, value, () => lineAt(text, keyAt(text, name, keyAt(text, id, 0)))] as const) };
  });
}

/** Where `"key":` first appears from `from` on (0 when it does not). */
function keyAt(text: string, key: string, from: number): number {
  const pattern = new RegExp(`${JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`, 'g');
  pattern.lastIndex = from;
  return pattern.exec(text)?.index ?? 0;
}

/** The 1-based line of offset `at`. */
function lineAt(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function readCsv(text: string): RawNode[] {
  const lines = text.split(/\r?\n/);
  let header: string[] | undefined;
  const nodes: RawNode[] = [];
  lines.forEach((content, i) => {
    const line = i + 1;
    if (content.trim() === '' || content.startsWith('#')) return;
    const cells = csvCells(content, line);
    if (header === undefined) {
      if (cells[0] !== 'id') throw new MetadataFileError(`line ${line}: the header's first column must be 'id'`);
      header = cells;
      return;
    }
    if (cells.length > header.length) throw new MetadataFileError(`line ${line}: ${cells.length} cells; the header has ${header.length} columns`);
    const names = header;
    const at = (): number => line;
    nodes.push({ line: at, id: cells[0], fields: cells.slice(1).map((cell, j) => [names[j + 1], csvValue(cell), at] as const) });
  });
  return nodes;
}

/** A line's cells, trimmed: separated by commas, a cell in double quotes may hold commas and "" for a quote. */
function csvCells(content: string, line: number): string[] {
  const cells: string[] = [];
  let at = 0;
  for (;;) {
    while (content[at] === ' ') at++;
    let cell = '';
    if (content[at] === '"') {
      at++;
      for (;;) {
        const quote = content.indexOf('"', at);
        if (quote === -1) throw new MetadataFileError(`line ${line}: a quoted cell is not closed on its line`);
        cell += content.slice(at, quote);
        at = quote + 1;
        if (content[at] !== '"') break;
        cell += '"';
        at++;
      }
      const comma = content.indexOf(',', at);
      if (content.slice(at, comma === -1 ? undefined : comma).trim() !== '') throw new MetadataFileError(`line ${line}: text after a quoted cell`);
      at = comma === -1 ? content.length : comma;
    } else {
      const comma = content.indexOf(',', at);
      cell = content.slice(at, comma === -1 ? undefined : comma).trim();
      at = comma === -1 ? content.length : comma;
    }
    cells.push(cell);
    if (at >= content.length) return cells;
    at++;
  }
}

function csvValue(cell: string): unknown {
  if (cell.includes(';')) return cell.split(';').map((s) => s.trim()).filter((s) => s !== '').map(csvScalar);
  return csvScalar(cell);
}

function csvScalar(text: string): number | string {
  return NUMBER.test(text) ? Number(text) : text;
}
