/** The JSON path language and the series-name templates that name what a path matched. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePath, evaluatePath, expandTemplate } from '../../../../slurpers/builtin/formats/json-path.js';
import { isSeriesName } from '../../../../slurpers/contract.js';
import { doc } from './nodes-doc.js';


describe('paths', () => {
  it('compiles names, wildcards, indexes and quoted keys', () => {
    expect(compilePath('$.nodes[*].disks.*.used')).toEqual([{ key: 'nodes' }, { wildcard: true }, { key: 'disks' }, { wildcard: true }, { key: 'used' }]);
    expect(compilePath(`nodes[0]["a \\"b\\""]['c.d']`)).toEqual([{ key: 'nodes' }, { index: 0 }, { key: 'a "b"' }, { key: 'c.d' }]);
    expect(compilePath('')).toEqual([]);
    expect(() => compilePath('nodes[x]')).toThrow(/path "nodes\[x\]": expected .* at "\[x\]"/);
  });

  it('selects with the key each wildcard took, keeping elements that lack the rest of the path', () => {
    const loads = evaluatePath(doc, compilePath('nodes[*].load'));
    expect(loads.map((m) => [m.keys, m.value])).toEqual([[['0'], 0.5], [['1'], '1.5'], [['2'], undefined], [['3'], undefined]]);
    const used = evaluatePath(doc, compilePath('nodes[*].disks.*.used'));
    expect(used.map((m) => [m.keys, m.value])).toEqual([[['0', 'sda'], 10], [['0', 'sdb'], 20]]);
    expect(evaluatePath(doc, compilePath('cluster["odd.key"]'))[0].value).toBe(7);
    expect(evaluatePath(doc, compilePath('cluster.missing'))).toEqual([]);
    expect(evaluatePath(doc, compilePath('nodes.length'))).toEqual([]);
  });

  it('names matches with keys and fields of the wildcard elements, one segment each', () => {
    const [sda] = evaluatePath(doc, compilePath('nodes[*].disks.*.used'));
    expect(expandTemplate('node.{1.name}.disk.{2}.used', sda)).toEqual({ name: 'node.n1.disk.sda.used' });
    expect(expandTemplate('disk.{2}.{used}', sda)).toEqual({ name: 'disk.sda.10' });
    const last = evaluatePath(doc, compilePath('nodes[*].load'))[3];
    expect(expandTemplate('node.{name}.load', last)).toEqual({ name: 'node.n_4_x.load' });
    expect(expandTemplate('node.{nope}', last)).toEqual({ problem: '{nope} is not a string or number in element 3' });
    expect(expandTemplate('node.{3}', last)).toEqual({ problem: '{3} refers to wildcard 3, but the path has 1' });
  });

  it('any key a wildcard takes makes a valid series name', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.integer(), { minKeys: 1 }), (object) => {
      for (const match of evaluatePath({ o: object }, compilePath('o.*'))) {
        const named = expandTemplate('x.{1}', match);
        expect('name' in named && isSeriesName(named.name)).toBe(true);
      }
    }));
  });
});
