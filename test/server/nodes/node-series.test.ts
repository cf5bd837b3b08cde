/** Node states as series (server/nodes/node-series.ts): one segment per node, 1 for up and 0 for late or down, stamped at the boundary with the step as interval. */
import { describe, expect, it } from 'vitest';
import { nodeSamples, nodeSeriesName } from '../../../server/nodes/node-series.js';
import { seriesGlob } from '../../../server/config-schema/index.js';

describe('node series', () => {
  it('names each node in one segment under ringmon.nodes', () => {
    expect(nodeSeriesName('node-a')).toBe('ringmon.nodes.node-a.up');
    expect(nodeSeriesName('web01.example.org')).toBe('ringmon.nodes.web01_example_org.up');
    expect(seriesGlob('ringmon.nodes.*.up').test(nodeSeriesName('a.b..c'))).toBe(true);
  });

  it('writes 1 for up, 0 for late and down', () => {
    const samples = nodeSamples([{ name: 'a', state: 'up' }, { name: 'b', state: 'late' }, { name: 'c', state: 'down' }], 600, 30);
    expect(samples).toEqual([
      { series: 'ringmon.nodes.a.up', time: 600, value: 1, interval: 30 },
      { series: 'ringmon.nodes.b.up', time: 600, value: 0, interval: 30 },
      { series: 'ringmon.nodes.c.up', time: 600, value: 0, interval: 30 },
    ]);
  });
});
