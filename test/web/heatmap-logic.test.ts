/** The heatmap view's pure parts (web/src/heatmap-data.ts): colours from the server's classes, texts, links, buckets. */
import { describe, expect, it } from 'vitest';
import { autoBucket, cellColour, cellHref, cellRange, columnLabels, rowLabel, valueText, type Heatmap } from '../../web/src/heatmap-data.js';
import { readState } from '../../web/src/url-state.js';

const map: Heatmap = {
  match: 'b.*',
  from: 86_400,
  to: 4 * 86_400,
  bucket: 86_400,
  columns: 3,
  cf: 'MAX',
  unit: '%',
  noData: '#000000',
  classes: [
    { max: 0, colour: '#0000ff', label: '0' },
    { colour: '#ff0000', label: '> 0' },
  ],
  series: [{ series: 'b.x', displayName: 'Bee', values: [null, 0, 3], cellClasses: [-1, 0, 1] }],
};

describe('heatmap data', () => {
  it('colours a cell by the class the server gave it, no data in the no-data colour', () => {
    expect([0, 1, 2].map((c) => cellColour(map, map.series[0], c))).toEqual(['#000000', '#0000ff', '#ff0000']);
  });

  it('says a value with its unit, and no data', () => {
    expect([valueText(5, '%'), valueText(0.25, undefined), valueText(null, '%')]).toEqual(['5%', '0.25', 'no data']);
    expect(rowLabel(map.series[0])).toBe('Bee (b.x)');
  });

  it('links a cell to the graph of its series over its bucket, with the CF', () => {
    expect(cellRange(map, 2)).toEqual({ from: 3 * 86_400, to: 4 * 86_400 });
    const state = readState(cellHref(map, 'b.x', 2).slice(2));
    expect(state).toMatchObject({ view: 'graph', series: ['b.x'], range: { from: 3 * 86_400, to: 4 * 86_400 }, cf: 'MAX' });
    expect(state.heatmap).toBeUndefined();
  });

  it('keeps the heatmap state in the URL', () => {
    expect(readState('?view=heatmap&hv=broker-errors&hm=b.*&hb=6h')).toMatchObject({ view: 'heatmap', heatmap: 'broker-errors', match: 'b.*', bucket: '6h' });
  });

  it('picks a bucket fit for the range, and labels about 40 columns at most', () => {
    expect([3600, 86_400, 7 * 86_400, 31 * 86_400, 366 * 86_400].map(autoBucket)).toEqual(['1h', '1h', '6h', '1d', '7d']);
    expect(columnLabels({ from: 0, bucket: 3600, columns: 100 }).filter((l) => l !== null)).toHaveLength(34);
    expect(columnLabels({ from: 0, bucket: 86_400, columns: 3 })).toEqual(['1 Jan', '2 Jan', '3 Jan'].map((d) => new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(Date.parse(`${d} 1970 00:00 UTC`))));
  });
});
