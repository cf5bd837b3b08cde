/**
 * A chart.js plugin drawing downtime bands under the lines, threshold lines
 * and alarm markers over them, and reporting which band or marker the
 * pointer is over. Each chart's overlays are set with setOverlays (kept
 * outside chart.js's options, whose resolver would treat callbacks as
 * scriptable options).
 */
import type { Chart, Plugin } from 'chart.js';
import type { AlarmState } from '../api-types.js';
import type { Overlays, OverlayHit } from './overlay-types.js';
import { NO_OVERLAYS } from './overlay-types.js';
import { formatUnit } from '../units.js';

interface OverlayState {
  overlays: Overlays;
  onHover: (hit: OverlayHit | null, x: number, y: number) => void;
  hit: OverlayHit | null;
}

const states = new WeakMap<Chart, OverlayState>();

const OVERLAY_COLOURS = {
  planned: { fill: 'rgba(31, 95, 191, 0.14)', edge: 'rgba(31, 95, 191, 0.55)' },
  unplanned: { fill: 'rgba(198, 40, 40, 0.13)', edge: 'rgba(198, 40, 40, 0.55)' },
  warning: '#b36b00',
  critical: '#c62828',
};

const MARKER_COLOURS: Record<AlarmState, string> = { OK: '#1b7f3b', WARNING: OVERLAY_COLOURS.warning, CRITICAL: OVERLAY_COLOURS.critical, NODATA: '#6b7280' };
const MARKER_SIZE = 6;

export function setOverlays(chart: Chart, overlays: Overlays, onHover: OverlayState['onHover']): void {
  const state = states.get(chart);
  if (state) {
    state.overlays = overlays;
    state.onHover = onHover;
  } else {
    states.set(chart, { overlays, onHover, hit: null });
  }
}

function getOverlays(chart: Chart): Overlays {
  return states.get(chart)?.overlays ?? NO_OVERLAYS;
}

/** The band's horizontal extent in pixels, clipped to the plot area; null when it is outside. */
function bandPixels(chart: Chart, start: number, end: number | null): { left: number; right: number } | null {
  const area = chart.chartArea;
  const x = chart.scales.x;
  const left = Math.max(area.left, x.getPixelForValue(start));
  const right = Math.min(area.right, end === null ? area.right : x.getPixelForValue(end));
  return right > left ? { left, right } : null;
}

function hitAt(chart: Chart, overlays: Overlays, px: number, py: number): OverlayHit | null {
  const area = chart.chartArea;
  if (px < area.left || px > area.right || py < area.top || py > area.bottom) return null;
  const x = chart.scales.x;
  for (const marker of overlays.markers) {
    if (Math.abs(x.getPixelForValue(marker.at) - px) <= MARKER_SIZE && py <= area.top + MARKER_SIZE * 2.5) return { type: 'marker', marker };
  }
  // The last band drawn is the one on top. (Runs on every pointer move: no copy of the list.)
  for (let i = overlays.bands.length - 1; i >= 0; i--) {
    const band = overlays.bands[i];
    const span = bandPixels(chart, band.start, band.end);
    if (span && px >= span.left && px <= span.right) return { type: 'band', band };
  }
  return null;
}

/** The band or marker a hit is on, compared by identity to tell a new hit from the same one. */
function target(hit: OverlayHit | null): object | null {
  if (hit === null) return null;
  return hit.type === 'band' ? hit.band : hit.marker;
}

export const overlaysPlugin: Plugin<'line'> = {
  id: 'rmOverlays',

  beforeDatasetsDraw(chart) {
    const { bands } = getOverlays(chart);
    const { ctx, chartArea: area } = chart;
    ctx.save();
    for (const band of bands) {
      const span = bandPixels(chart, band.start, band.end);
      if (!span) continue;
      const colour = OVERLAY_COLOURS[band.kind];
      ctx.fillStyle = colour.fill;
      ctx.fillRect(span.left, area.top, span.right - span.left, area.bottom - area.top);
      ctx.strokeStyle = colour.edge;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(span.left, area.top);
      ctx.lineTo(span.left, area.bottom);
      if (band.end !== null) {
        ctx.moveTo(span.right, area.top);
        ctx.lineTo(span.right, area.bottom);
      }
      ctx.stroke();
    }
    ctx.restore();
  },

  afterDatasetsDraw(chart) {
    const { thresholds, markers } = getOverlays(chart);
    const { ctx, chartArea: area } = chart;
    const x = chart.scales.x;
    ctx.save();
    ctx.lineWidth = 1.5;
    ctx.font = '11px system-ui, sans-serif';
    for (const t of thresholds) {
      // Against the axis of its series' unit; a series not drawn has no line.
      const dataset = chart.data.datasets.find((d) => d.label === t.series);
      const y = dataset ? chart.scales[dataset.yAxisID ?? 'y'] : undefined;
      if (!y) continue;
      const py = y.getPixelForValue(t.value);
      if (py < area.top || py > area.bottom) continue;
      ctx.strokeStyle = OVERLAY_COLOURS[t.level];
      ctx.fillStyle = OVERLAY_COLOURS[t.level];
      ctx.setLineDash(t.level === 'critical' ? [6, 3] : [3, 3]);
      ctx.beginPath();
      ctx.moveTo(area.left, py);
      ctx.lineTo(area.right, py);
      ctx.stroke();
      ctx.fillText(`${t.level} ${formatUnit(t.value, t.unit)}`, area.left + 4, py - 3);
    }
    ctx.setLineDash([]);
    for (const m of markers) {
      const px = x.getPixelForValue(m.at);
      if (px < area.left || px > area.right) continue;
      ctx.fillStyle = MARKER_COLOURS[m.to];
      ctx.strokeStyle = MARKER_COLOURS[m.to];
      ctx.globalAlpha = 0.5;
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom);
      ctx.stroke();
      ctx.globalAlpha = 1;
      ctx.beginPath();
      ctx.moveTo(px - MARKER_SIZE, area.top);
      ctx.lineTo(px + MARKER_SIZE, area.top);
      ctx.lineTo(px, area.top + MARKER_SIZE * 1.6);
      ctx.closePath();
      ctx.fill();
    }
    ctx.restore();
  },

  afterEvent(chart, args) {
    const state = states.get(chart);
    if (!state) return;
    const { event } = args;
    const hit = event.type === 'mouseout' || event.x === null || event.y === null ? null : hitAt(chart, state.overlays, event.x, event.y);
    if (target(hit) === target(state.hit)) return;
    state.hit = hit;
    state.onHover(hit, event.x ?? 0, event.y ?? 0);
  },
};
