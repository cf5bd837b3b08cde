/**
 * The mapping file: the same nodes from YAML, JSON and CSV; each bound
 * refused with the line, node and field named.
 */
import { describe, expect, it } from 'vitest';
import { MAX_FIELDS, MAX_LIST_ITEMS, MAX_STRING, MetadataFileError, metadataFormat, readMetadata } from '../../../server/metadata/index.js';

const yaml = `
b01:
  name: Broker one
  owner: ward 3
  contacts: [a@x.example, b@x.example]
  max_hours: 36
b02:
  name: Broker two
  contacts: c@x.example
  sites: [5, 6]
`;

describe('readMetadata', () => {
  it('reads YAML, JSON and CSV into the same nodes', () => {
    const json = JSON.stringify({
      b01: { name: 'Broker one', owner: 'ward 3', contacts: ['a@x.example', 'b@x.example'], max_hours: 36 },
      b02: { name: 'Broker two', contacts: 'c@x.example', sites: [5, 6] },
    });
    const csv = ['# nodes', 'id,name,owner,contacts,max_hours,sites', 'b01,Broker one,ward 3,a@x.example;b@x.example,36,', 'b02,"Broker two",,c@x.example,,5;6'].join('\n');
    const expected = [
      { id: 'b01', name: 'Broker one', fields: { name: 'Broker one', owner: 'ward 3', contacts: ['a@x.example', 'b@x.example'], max_hours: 36 } },
      { id: 'b02', name: 'Broker two', fields: { name: 'Broker two', contacts: ['c@x.example'], sites: [5, 6] } },
    ];
    for (const [text, format] of [[yaml, 'yaml'], [json, 'json'], [csv, 'csv']] as const) {
      expect([...readMetadata(text, format).values()], format).toEqual(expected);
    }
  });

  it('chooses the format by extension', () => {
    expect([metadataFormat('/a/n.JSON'), metadataFormat('n.yml'), metadataFormat('n.yaml'), metadataFormat('n.csv'), metadataFormat('n.txt')]).toEqual(['json', 'yaml', 'yaml', 'csv', undefined]);
  });

  it.each([
    ['b01:\n  contacts: [not-an-address]\n', /line 2, node 'b01', field 'contacts': must be e-mail addresses/],
    ['b01:\n  contacts: ["a@x.example, evil@y.example"]\n', /field 'contacts': must be e-mail addresses/],
    ['b01:\n  contacts: ["Boss <a@x.example>"]\n', /field 'contacts': must be e-mail addresses/],
    ['b01:\n  name: 5\n', /line 2, node 'b01', field 'name': must be a string/],
    ['b01:\n  name: x\nb.02:\n  name: y\n', /line 3, node 'b\.02': a node id must be/],
    ['b01:\n  bad field: 1\n', /line 2, node 'b01', field 'bad field': a field name/],
    ['b01:\n  deep: { a: 1 }\n', /line 2, node 'b01', field 'deep': must be a number, a string or a list/],
    [`b01:\n  long: ${'x'.repeat(MAX_STRING + 1)}\n`, new RegExp(`line 2, node 'b01', field 'long': is ${MAX_STRING + 1} characters long; the limit is ${MAX_STRING}`)],
    [`b01:\n  many: [${Array.from({ length: MAX_LIST_ITEMS + 1 }, (_, i) => i).join(', ')}]\n`, /field 'many': a list of 101 items; the limit is 100/],
    [`b01:\n${Array.from({ length: MAX_FIELDS + 1 }, (_, i) => `  f${i}: ${i}`).join('\n')}\n`, /line 1, node 'b01': 65 fields; the limit is 64/],
    ['b01: 3\n', /line 1, node 'b01': must be a mapping of fields/],
    ['- b01\n', /line 1: the file must map node ids/],
    ['b01:\n  name: x\nb01:\n  name: y\n', /line 3, node 'b01': the node is given twice/],
    ['b01: [\n', /line \d+: /],
  ])('refuses %j naming the place', (text, message) => {
    expect(() => readMetadata(text, 'yaml')).toThrow(MetadataFileError);
    expect(() => readMetadata(text, 'yaml')).toThrow(message);
  });

  it.each([
    ['name,contacts\nb01,a@x.example\n', /line 1: the header's first column must be 'id'/],
    ['id,name\nb01,x,y\n', /line 2: 3 cells; the header has 2 columns/],
    ['id,name\nb01,"x\n', /line 2: a quoted cell is not closed/],
    ['id,name\nb01,x\nb01,y\n', /line 3, node 'b01': the node is given twice/],
    ['id,contacts\nb01,a@x.example;nope\n', /line 2, node 'b01', field 'contacts': must be e-mail addresses/],
  ])('refuses CSV %j naming the line', (text, message) => {
    expect(() => readMetadata(text, 'csv')).toThrow(message);
  });

  it('names the line of a JSON node or field it refuses', () => {
    expect(() => readMetadata('{\n "b01": { "name": "x" },\n "b02": {\n  "owner": "y",\n  "name": 5\n }\n}', 'json')).toThrow(/^line 5, node 'b02', field 'name': must be a string$/);
    expect(() => readMetadata('{\n "b01": 3\n}', 'json')).toThrow(/^line 2, node 'b01': must be a mapping of fields/);
    expect(() => readMetadata('{\n "b01": {\n', 'json')).toThrow(/^line \d+: /);
    expect(() => readMetadata('[1]', 'json')).toThrow(/^line 1: the file must map node ids/);
  });

  it('reads quoted CSV cells with commas and quotes', () => {
    const nodes = readMetadata('id,name\nb01,"Ward 3, ""east"""\n', 'csv');
    expect(nodes.get('b01')?.name).toBe('Ward 3, "east"');
  });
});
