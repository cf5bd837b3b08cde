/**
 * The MIN/MAX envelope of a series, drawn by a chart.js plugin as one
 * filled path per series under the lines, in a light tint of the line's
 * colour: along the highs, back along the lows, each value held across the
 * span of the rows it consolidates (a one-row spike is its bucket's full
 * width, not a sliver), broken at unknown buckets.
 *
 * The envelope rides on its line's dataset (`rmEnvelope`) rather than as
 * two more datasets: chart.js would parse, lay out and hit-test three times
 * the points (20 series of a year painted slower than the rows path did).
 * The line's tooltip gives its bucket's lowest and highest (chart-config's
 * envelopeNote), and the line's y axis stretches to hold the band
 * (afterDataLimits), as it did when the band was datasets.
 */
import type { Chart, Plugin, Scale } from 'chart.js';
import type { ChartPoint, Envelope, EnvelopedDataset } from './chart-config.js';

const BAND_ALPHA = 0.22;

/** `#rrggbb` at `alpha`. */
function tint(colour: string, alpha: number): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

function envelopeOf(chart: Chart, index: number): Envelope | undefined {
  return (chart.data.datasets[index] as EnvelopedDataset | undefined)?.rmEnvelope;
}

/** Where bucket k's span starts: the point before it (points are a span's end), or one step before the first. */
function spanStart(points: readonly ChartPoint[], k: number): number {
  if (k > 0) return points[k - 1].x;
  return points.length > 1 ? 2 * points[0].x - points[1].x : points[0].x;
}

/** The band as one path in pixels: a closed shape per run of known buckets. */
function bandPath(envelope: Envelope, px: (x: number) => number, py: (y: number) => number): Path2D {
  const { low, high } = envelope;
  const path = new Path2D();
  const known = (k: number) => low[k]?.y != null && high[k]?.y != null;
  let k = 0;
  while (k < high.length) {
    if (!known(k)) {
      k++;
      continue;
    }
    const first = k;
    while (k + 1 < high.length && known(k + 1)) k++;
    path.moveTo(px(spanStart(high, first)), py(high[first].y as number));
    for (let i = first; i <= k; i++) {
      const y = py(high[i].y as number);
      path.lineTo(px(spanStart(high, i)), y);
      path.lineTo(px(high[i].x), y);
    }
    for (let i = k; i >= first; i--) {
      const y = py(low[i].y as number);
      path.lineTo(px(low[i].x), y);
      path.lineTo(px(spanStart(low, i)), y);
    }
    path.closePath();
    k++;
  }
  return path;
}

/** Stretches `scale` to the envelopes of the visible lines drawn on it, within the x axis' own bounds, as chart.js does for the lines. */
function stretchToEnvelopes(chart: Chart, scale: Scale): void {
  const { minDefined, maxDefined } = scale.getUserBounds();
  const xBounds = chart.scales.x?.getUserBounds();
  const xMin = xBounds?.minDefined ? xBounds.min : -Infinity;
  const xMax = xBounds?.maxDefined ? xBounds.max : Infinity;
  let { min, max } = scale;
  chart.data.datasets.forEach((_, i) => {
    const envelope = envelopeOf(chart, i);
    if (!envelope || !chart.isDatasetVisible(i) || chart.getDatasetMeta(i).yAxisID !== scale.id) return;
    for (const points of [envelope.low, envelope.high]) {
      for (const { x, y } of points) {
        if (y === null || x < xMin || x > xMax) continue;
        if (y < min) min = y;
        if (y > max) max = y;
      }
    }
  });
  if (!minDefined) scale.min = min;
  if (!maxDefined) scale.max = max;
}

export const envelopePlugin: Plugin<'line'> = {
  id: 'rmEnvelope',

  afterDataLimits(chart, { scale }) {
    if (scale.axis === 'y') stretchToEnvelopes(chart as unknown as Chart, scale);
  },

  beforeDatasetsDraw(chart) {
    const { ctx, chartArea: area } = chart;
    const x = chart.scales.x;
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
    ctx.clip();
    chart.data.datasets.forEach((dataset, i) => {
      const envelope = envelopeOf(chart as unknown as Chart, i);
      if (!envelope || !chart.isDatasetVisible(i)) return;
      // The line's own y axis (its yAxisID, or the default y axis), as chart.js resolved it for the line.
      const y = chart.getDatasetMeta(i).yScale ?? chart.scales[dataset.yAxisID ?? 'y'];
      if (!y) return;
      ctx.fillStyle = tint(String(dataset.borderColor), BAND_ALPHA);
      ctx.fill(bandPath(envelope, (v) => x.getPixelForValue(v), (v) => y.getPixelForValue(v)));
    });
    ctx.restore();
  },
};
