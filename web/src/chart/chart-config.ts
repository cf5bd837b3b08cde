/**
 * The chart.js configuration of a graph: one line per series on a time
 * axis, unknown values as gaps (null points, spanGaps off), no animation
 * (graphs refresh; motion would only delay them), one y axis per unit
 * (axes.ts) stretched to show its series' threshold lines, each line
 * carrying its MIN/MAX envelope when it has one (drawn as a band on the
 * line's axis by envelope-plugin.ts), and a tooltip that says each value
 * with its unit and the time with its zone.
 */
import type { ChartConfiguration, ChartDataset, TooltipItem } from 'chart.js';
import { formatZonedTime } from '../format.js';
import { formatUnit } from '../units.js';
import { axisOfSeries, yAxes } from './axes.js';
import type { ThresholdMark } from './overlay-types.js';
import { timeAxis } from './time-axis.js';

/** A point: x in milliseconds, y null where unknown (chart.js breaks the line there). */
export interface ChartPoint {
  readonly x: number;
  readonly y: number | null;
}

/** The lowest and highest value of each point's span, at the same x as the line's points. */
export interface Envelope {
  readonly low: ChartPoint[];
  readonly high: ChartPoint[];
}

/** A line's dataset, with the envelope of its points when the server consolidated rows into them (envelope-plugin.ts draws it). */
export type EnvelopedDataset = ChartDataset<'line', ChartPoint[]> & { readonly rmEnvelope?: Envelope };

export interface ChartSeries {
  readonly label: string;
  readonly points: ChartPoint[];
  /** The unit of its values (`B/s`, `%`); absent: none. Series of one unit share a y axis. */
  readonly unit?: string;
  /** The lowest and highest of each point's span, when the server consolidated rows into it. */
  readonly envelope?: Envelope;
}

export interface ChartInput {
  readonly series: readonly ChartSeries[];
  /** The x axis, in milliseconds. */
  readonly start: number;
  readonly end: number;
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function colourFor(index: number): string {
  return PALETTE[index % PALETTE.length];
}

/** Each series' line on its unit's axis, with its envelope when it has one. */
export function datasets(series: readonly ChartSeries[]): EnvelopedDataset[] {
  const axes = axisOfSeries(series);
  return series.map((s, i) => line(s, i, axes.get(s.label)));
}

function line(s: ChartSeries, i: number, yAxisID: string | undefined): EnvelopedDataset {
  return {
    label: s.label,
    yAxisID,
    rmEnvelope: s.envelope,
    data: s.points,
    borderColor: colourFor(i),
    backgroundColor: colourFor(i),
    borderWidth: 1.5,
    pointRadius: 0,
    pointHoverRadius: 3,
    pointHitRadius: 4,
    spanGaps: false,
    normalized: true,
    parsing: false,
    order: 0,
  };
}

/** For a line's tooltip: the lowest and highest of its point's span, when they differ from it. */
export function envelopeNote(item: TooltipItem<'line'>, format: (v: number) => string): string {
  const envelope = (item.dataset as EnvelopedDataset).rmEnvelope;
  const min = envelope?.low[item.dataIndex]?.y;
  const max = envelope?.high[item.dataIndex]?.y;
  if (min == null || max == null || min === max) return '';
  return `lowest ${format(min)}, highest ${format(max)}`;
}

/**
 * y bounds that keep in view the threshold lines near the values drawn
 * (within the values' span, or a quarter of their size, of them): a far
 * one (a critical 50 over a load of 4.6) would flatten the lines; it is
 * left out of view rather than the values squeezed to the axis' foot.
 */
export function thresholdBounds(thresholds: readonly ThresholdMark[], values: { low: number; high: number } | null): { suggestedMin?: number; suggestedMax?: number } {
  let near = thresholds.map((t) => t.value);
  if (values) {
    const { low, high } = values;
    const margin = Math.max(high - low, Math.max(Math.abs(low), Math.abs(high)) / 4);
    near = near.filter((v) => v >= low - margin && v <= high + margin);
  }
  if (near.length === 0) return {};
  return { suggestedMin: Math.min(...near), suggestedMax: Math.max(...near) };
}

/** The lowest and highest known values of `series` (null: none), for the bounds of their axis. */
function valueSpan(series: readonly ChartSeries[]): { low: number; high: number } | null {
  let [low, high] = [Infinity, -Infinity];
  for (const s of series) {
    for (const p of s.points) {
      if (p.y === null) continue;
      if (p.y < low) low = p.y;
      if (p.y > high) high = p.y;
    }
  }
  return low <= high ? { low, high } : null;
}

/** The options of a graph of `input`; `thresholds`: the lines drawn over it, which each unit's axis stretches to show. */
export function chartOptions(input: ChartInput, thresholds: readonly ThresholdMark[]): ChartConfiguration<'line', ChartPoint[]>['options'] {
  const unitOf = new Map(input.series.map((s) => [s.label, s.unit]));
  const boundsOf = (unit: string | undefined) =>
    thresholdBounds(
      thresholds.filter((t) => unitOf.has(t.series) && unitOf.get(t.series) === unit),
      valueSpan(input.series.filter((s) => s.unit === unit)),
    );
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    scales: { x: timeAxis(input.start, input.end), ...yAxes(input.series, boundsOf) },
    plugins: {
      legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 2 } },
      tooltip: {
        mode: 'nearest',
        axis: 'x',
        intersect: false,
        callbacks: {
          title: (items: TooltipItem<'line'>[]) => (items.length ? formatZonedTime((items[0].parsed.x ?? 0) / 1000) : ''),
          label: (item: TooltipItem<'line'>) => `${item.dataset.label ?? ''}: ${formatUnit(item.parsed.y, unitOf.get(item.dataset.label ?? ''))}`,
          afterLabel: (item: TooltipItem<'line'>) => envelopeNote(item, (v) => formatUnit(v, unitOf.get(item.dataset.label ?? ''))),
        },
      },
    },
  };
}

/** `thresholds`: the threshold lines drawn over the chart, which the y axes stretch to show. */
export function chartConfig(input: ChartInput, thresholds: readonly ThresholdMark[]): ChartConfiguration<'line', ChartPoint[]> {
  return { type: 'line', data: { datasets: datasets(input.series) }, options: chartOptions(input, thresholds) };
}
