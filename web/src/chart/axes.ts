/**
 * One y axis per unit: the unit with the most series on the left, the next
 * on the right, each titled with its unit (`B/s`, `%`, `(no unit)` for
 * series without one) and its ticks on round steps labelled with it. Bytes
 * and percent never share an axis: series in a third or later unit are not
 * drawn on this chart; splitByUnit says which, and the graph view links
 * them to graphs of their own.
 */
import type { Scale, ScaleOptions } from 'chart.js';
import { axisTitle } from '../units.js';
import { valueTicks } from './ticks-value.js';

/** The most axes one chart has: one on each side. */
export const MAX_AXES = 2;

/** Pixels a y tick label needs, top to bottom. */
const Y_LABEL_ROOM = 40;

/** What axes.ts needs of a series. */
interface Unitised {
  readonly label: string;
  readonly unit?: string;
}

/** The units of `series` (undefined for none), the one with most series first, ties in their first order. */
export function unitsByUse(series: readonly Unitised[]): (string | undefined)[] {
  const counts = new Map<string | undefined, number>();
  for (const s of series) counts.set(s.unit, (counts.get(s.unit) ?? 0) + 1);
  const units = [...counts.keys()];
  // Sorted by position: sort() would put undefined (no unit) last whatever the comparison says.
  const order = units.map((_, i) => i).sort((a, b) => (counts.get(units[b]) ?? 0) - (counts.get(units[a]) ?? 0) || a - b);
  return order.map((i) => units[i]);
}

/** The chart.js axis id of the i-th unit: `y` (left) keeps the id the overlays and tests know, then `y1` (right). */
export function axisId(index: number): string {
  return index === 0 ? 'y' : `y${index}`;
}

/** The series drawn (in the first MAX_AXES units) and the rest by unit, in the order of unitsByUse. */
export function splitByUnit<T extends Unitised>(series: readonly T[]): { shown: T[]; apart: { unit: string | undefined; series: T[] }[] } {
  const kept = unitsByUse(series).slice(0, MAX_AXES);
  const shown = series.filter((s) => kept.includes(s.unit));
  const apart = unitsByUse(series)
    .slice(MAX_AXES)
    .map((unit) => ({ unit, series: series.filter((s) => s.unit === unit) }));
  return { shown, apart };
}

/** The axis id each series is drawn against, by its label. */
export function axisOfSeries(series: readonly Unitised[]): Map<string, string> {
  const units = unitsByUse(series);
  return new Map(series.map((s) => [s.label, axisId(Math.max(0, units.indexOf(s.unit)))]));
}

type LinearOptions = ScaleOptions<'linear'>;

/**
 * The y axes for `series`: per unit, its side, title and ticks; `bounds`
 * gives each unit's suggested range (threshold lines kept in view).
 */
export function yAxes(series: readonly Unitised[], bounds: (unit: string | undefined) => { suggestedMin?: number; suggestedMax?: number }): Record<string, LinearOptions> {
  const units = unitsByUse(series);
  // A chart with no series still has its left axis (chart.js draws 0 to 1), titled for no unit.
  if (units.length === 0) units.push(undefined);
  const axes: Record<string, LinearOptions> = {};
  units.forEach((unit, i) => {
    let labels = new Map<number, string>();
    axes[axisId(i)] = {
      type: 'linear',
      position: i === 0 ? 'left' : 'right',
      ...bounds(unit),
      title: { display: true, text: axisTitle(unit) },
      // Only the left axis draws grid lines: two sets of them would cross.
      grid: i === 0 ? { color: '#eceef2' } : { drawOnChartArea: false },
      ticks: { callback: (value) => labels.get(Number(value)) ?? String(value) },
      afterBuildTicks: (scale: Scale) => {
        const round = valueTicks(scale.min, scale.max, Math.floor(scale.height / Y_LABEL_ROOM), unit);
        labels = new Map(round.ticks.map((t, k) => [t, round.labels[k]]));
        scale.ticks = round.ticks.map((value) => ({ value }));
        scale.min = round.ticks[0] ?? scale.min;
        scale.max = round.ticks.at(-1) ?? scale.max;
      },
    };
  });
  return axes;
}
