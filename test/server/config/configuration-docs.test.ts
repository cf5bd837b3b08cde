/**
 * docs/configuration.md cannot drift from the code: its full example is the
 * example file byte for byte, its key tables list exactly the schema's keys,
 * and each default written there loads to the built-in default.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadConfig, ServerConfigSchema } from '../../../server/config/index.js';
import { tempConfigDir } from './helpers.js';

const DOCS = resolve(import.meta.dirname, '../../../docs');
const doc = readFileSync(join(DOCS, 'configuration.md'), 'utf8');
const files = tempConfigDir();

/** The text of a section of the doc, from its heading to the next heading of the same or a higher level outside code blocks. */
function section(heading: string): string {
  const level = heading.indexOf(' ');
  const lines = doc.split('\n');
  const start = lines.indexOf(heading);
  expect(start, heading).toBeGreaterThan(-1);
  let inCode = false;
  let end = start + 1;
  for (; end < lines.length; end++) {
    if (lines[end].startsWith('```')) inCode = !inCode;
    const match = /^(#+) /.exec(lines[end]);
    if (!inCode && match && match[1].length <= level) break;
  }
  return lines.slice(start + 1, end).join('\n');
}

/** Table rows as cells, for rows whose first cell is a `key`. */
function keyRows(text: string): { key: string; cells: string[] }[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()))
    .map((cells) => ({ key: cells[0].replaceAll('`', ''), cells }));
}

interface Node {
  readonly type?: string;
  readonly properties?: Record<string, Node>;
  readonly items?: Node;
}

/** Every key a config file may hold: leaves, lists, and the keys of list items as `list[].key`. */
function schemaKeys(node: Node, prefix: string): string[] {
  // archives.default takes the keys of a rule, documented once as archives.rules[].*
  if (node.type === 'object' && prefix !== 'archives.default') {
    return Object.entries(node.properties ?? {}).flatMap(([key, child]) => schemaKeys(child, prefix === '' ? key : `${prefix}.${key}`));
  }
  if (node.type === 'array' && node.items?.type === 'object') return [prefix, ...schemaKeys(node.items, `${prefix}[]`)];
  return [prefix];
}

describe('docs/configuration.md', () => {
  it('shows the example file exactly', () => {
    const block = /```yaml\n([\s\S]*?)```/.exec(section('## Full example'));
    expect(block?.[1]).toBe(readFileSync(join(DOCS, 'examples/ringmon.yaml'), 'utf8'));
  });

  it('documents every key of the schema, and no other', () => {
    const documented = [...keyRows(section('## Keys')), ...keyRows(section('### Rule keys'))].map((row) => row.key);
    expect(documented.toSorted()).toEqual(schemaKeys(ServerConfigSchema as Node, '').toSorted());
  });

  it('gives each section key a type, a default and a meaning', () => {
    for (const { key, cells } of keyRows(section('## Keys'))) {
      expect(cells, key).toHaveLength(4);
      for (const cell of cells) expect(cell, key).not.toBe('');
    }
  });

  it('names the built-in default of each key', () => {
    const defaults = loadConfig(undefined, { env: {}, cwd: files.dir });
    const valueAt = (config: object, key: string): unknown => key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], config);
    expect(keyRows(section('## Keys')).find((row) => row.key === 'auth.tokensFile')?.cells[2]).toBe('`<dataDir>/tokens`');
    expect(defaults.auth.tokensFile).toBe(join(defaults.dataDir, 'tokens'));
    const literal = keyRows(section('## Keys')).filter(({ cells }) => /^`[^`<]+`$/.test(cells[2]));
    expect(literal.length).toBeGreaterThanOrEqual(14);
    for (const { key, cells } of literal) {
      // Write the documented default into a file next to the working directory and load it.
      const setting = key.split('.').reduceRight<unknown>((value, k) => ({ [k]: value }), parse(cells[2].slice(1, -1)));
      const config = loadConfig(files.write(stringify(setting)), { env: {}, cwd: files.dir });
      expect(valueAt(config, key), key).toEqual(valueAt(defaults, key));
    }
  });
});
