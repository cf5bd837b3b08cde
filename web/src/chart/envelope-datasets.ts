/**
 * The MIN/MAX envelope of a series as chart.js draws it: a pair of
 * datasets, the lowest values with no line and the highest filled down to
 * them (`fill: '-1'`) in a light tint of the series' colour, drawn under
 * the lines, each value across the span of the rows it consolidates. The pair is marked (`rmEnvelope`) so the legend and the
 * tooltips leave it out: the line's tooltip gives its bucket's lowest and
 * highest instead (envelopeNote), from the data kept here.
 */
import type { ChartDataset, LegendItem, TooltipItem } from 'chart.js';

/** A point as chart-config.ts draws it (declared here too: chart-config.ts imports this file). */
interface ChartPoint {
  readonly x: number;
  readonly y: number | null;
}

/** The lowest and highest value of each point's span, at the same x as the line's points. */
export interface Envelope {
  readonly low: ChartPoint[];
  readonly high: ChartPoint[];
}

export type EnvelopeDataset = ChartDataset<'line', ChartPoint[]> & { readonly rmEnvelope: 'low' | 'high'; readonly rmOf: string };

/** Drawn before (under) the lines, whose `order` is 0: chart.js draws higher orders first. */
const UNDER = 1;

/** `#rrggbb` at `alpha`. */
function tint(colour: string, alpha: number): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** The two datasets of `envelope` for the series `label` drawn in `colour` (#rrggbb). */
export function envelopeDatasets(label: string, envelope: Envelope, colour: string): EnvelopeDataset[] {
  // Stepped 'before': a value holds from the point before to its own, the span its rows cover (a one-row spike is its bucket's full width, not a sliver).
  const common = { borderWidth: 0, pointRadius: 0, pointHoverRadius: 0, pointHitRadius: 0, stepped: 'before', spanGaps: false, normalized: true, parsing: false, order: UNDER, rmOf: label } as const;
  return [
    { ...common, label: `${label} lowest`, data: envelope.low, borderColor: 'transparent', backgroundColor: 'transparent', fill: false, rmEnvelope: 'low' },
    { ...common, label: `${label} highest`, data: envelope.high, borderColor: 'transparent', backgroundColor: tint(colour, 0.22), fill: '-1', rmEnvelope: 'high' },
  ];
}

export function isEnvelope(dataset: unknown): dataset is EnvelopeDataset {
  return typeof dataset === 'object' && dataset !== null && 'rmEnvelope' in dataset;
}

/** Legend filter: the lines alone. */
export const notEnvelopeItem = (item: LegendItem, data: { datasets: readonly unknown[] }): boolean => !isEnvelope(data.datasets[item.datasetIndex ?? -1]);

/** Tooltip filter: the lines alone. */
export const notEnvelopeTooltip = (item: TooltipItem<'line'>): boolean => !isEnvelope(item.dataset);

/** For a line's tooltip: the lowest and highest of its point's span, when they differ from it. */
export function envelopeNote(item: TooltipItem<'line'>, format: (v: number) => string): string {
  const datasets = item.chart.data.datasets;
  const low = datasets[item.datasetIndex + 1];
  const high = datasets[item.datasetIndex + 2];
  if (!isEnvelope(low) || !isEnvelope(high)) return '';
  const min = low.data[item.dataIndex]?.y;
  const max = high.data[item.dataIndex]?.y;
  if (min == null || max == null || min === max) return '';
  return `lowest ${format(min)}, highest ${format(max)}`;
}
