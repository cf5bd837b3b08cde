/** One y axis per unit (web/src/chart/axes.ts): the most used unit left, the next right, the rest left to graphs of their own. */
import { describe, expect, it } from 'vitest';
import { axisOfSeries, splitByUnit, unitsByUse, yAxes } from '../../../web/src/chart/axes.js';

const s = (label: string, unit?: string) => ({ label, unit });
const mixed = [s('a.load'), s('a.rx', 'B/s'), s('a.cpu', '%'), s('a.tx', 'B/s'), s('a.mem', 'B'), s('b.cpu', '%'), s('b.rx', 'B/s')];

describe('y axes by unit', () => {
  it('order units by how many series use them, ties by first use', () => {
    expect(unitsByUse(mixed)).toEqual(['B/s', '%', undefined, 'B']);
  });

  it('draw the first two units and set the others apart by unit', () => {
    const { shown, apart } = splitByUnit(mixed);
    expect(shown.map((x) => x.label)).toEqual(['a.rx', 'a.cpu', 'a.tx', 'b.cpu', 'b.rx']);
    expect(apart.map((a) => [a.unit, a.series.map((x) => x.label)])).toEqual([
      [undefined, ['a.load']],
      ['B', ['a.mem']],
    ]);
  });

  it('give each unit its own axis, left then right, titled with the unit', () => {
    const { shown } = splitByUnit(mixed);
    expect(Object.fromEntries(axisOfSeries(shown))).toEqual({ 'a.rx': 'y', 'a.tx': 'y', 'b.rx': 'y', 'a.cpu': 'y1', 'b.cpu': 'y1' });
    const axes = yAxes(shown, () => ({}));
    expect(Object.entries(axes).map(([id, a]) => [id, a.position, a.title?.text])).toEqual([
      ['y', 'left', 'B/s'],
      ['y1', 'right', '%'],
    ]);
  });

  it('title an axis of series without a unit as such, and stretch it to the bounds given for its unit', () => {
    const axes = yAxes([s('x'), s('y')], (unit) => (unit === undefined ? { suggestedMax: 9 } : {}));
    expect(Object.keys(axes)).toEqual(['y']);
    expect(axes.y.title?.text).toBe('(no unit)');
    expect(axes.y.suggestedMax).toBe(9);
  });
});
