/**
 * The chart.js configuration of a graph: one line per series on a time
 * axis, carrying its MIN/MAX envelope when it has one (drawn as a band by
 * envelope-plugin.ts), unknown values as gaps (null points, spanGaps off),
 * no animation (graphs refresh; motion would only delay them), the y axis
 * stretched to show the threshold lines.
 */
import type { ChartConfiguration, ChartDataset, TooltipItem } from 'chart.js';
import { formatValue } from '../format.js';
import type { ThresholdMark } from './overlay-types.js';

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

/** Each series' line, with its envelope when it has one. */
export function datasets(series: readonly ChartSeries[]): EnvelopedDataset[] {
  return series.map(line);
}

function line(s: ChartSeries, i: number): EnvelopedDataset {
  return {
    label: s.label,
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

/** y bounds that keep every threshold line in view. */
export function thresholdBounds(thresholds: readonly ThresholdMark[]): { suggestedMin?: number; suggestedMax?: number } {
  if (thresholds.length === 0) return {};
  const values = thresholds.map((t) => t.value);
  return { suggestedMin: Math.min(...values), suggestedMax: Math.max(...values) };
}

/** `thresholds`: the threshold lines drawn over the chart, which the y axis stretches to show. */
export function chartConfig(input: ChartInput, thresholds: readonly ThresholdMark[]): ChartConfiguration<'line', ChartPoint[]> {
  return {
    type: 'line',
    data: { datasets: datasets(input.series) },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { type: 'time', min: input.start, max: input.end, ticks: { maxRotation: 0, autoSkipPadding: 16 }, grid: { color: '#eceef2' } },
        y: { type: 'linear', ...thresholdBounds(thresholds), grid: { color: '#eceef2' } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 2 } },
        tooltip: { mode: 'nearest', axis: 'x', intersect: false, callbacks: { afterLabel: (item) => envelopeNote(item, formatValue) } },
      },
    },
  };
}
