/**
 * Drag across a graph to zoom to that time span; double-click to go back to
 * the range before zooming. Shift+drag, or any drag while the host says it
 * is selecting (a "Select for downtime" toggle), selects the span for a
 * downtime instead of zooming. The selection is drawn by dragZoomPlugin
 * while the pointer is down, in the colour of what it will do. Keyboard
 * users zoom with the range controls and file downtimes with the form.
 */
import type { Chart, Plugin } from 'chart.js';

export interface DragZoomCallbacks {
  /** A span was selected: [from, to] in the x scale's units (milliseconds). */
  readonly onZoom: (from: number, to: number) => void;
  readonly onReset: () => void;
  /** A span was selected for a downtime: [from, to] in milliseconds. */
  readonly onSelect: (from: number, to: number) => void;
  /** Whether a plain drag selects for a downtime now (else it zooms). */
  readonly selecting: () => boolean;
}

/** Shortest drag, in pixels, that counts as a selection rather than a click. */
const MIN_DRAG_PX = 6;

/** A drag in progress, in canvas pixels; `forDowntime`: it selects rather than zooms. */
const selections = new WeakMap<Chart, { from: number; to: number; forDowntime: boolean }>();

function plotX(chart: Chart, event: PointerEvent | MouseEvent): number {
  const rect = chart.canvas.getBoundingClientRect();
  const x = event.clientX - rect.left;
  return Math.min(chart.chartArea.right, Math.max(chart.chartArea.left, x));
}

function insidePlot(chart: Chart, event: PointerEvent | MouseEvent): boolean {
  const rect = chart.canvas.getBoundingClientRect();
  const x = event.clientX - rect.left;
  const y = event.clientY - rect.top;
  const a = chart.chartArea;
  return x >= a.left && x <= a.right && y >= a.top && y <= a.bottom;
}

/** Listens on the chart's canvas; returns the function that stops listening. */
export function attachDragZoom(chart: Chart, callbacks: DragZoomCallbacks): () => void {
  const canvas = chart.canvas;
  const down = (e: PointerEvent) => {
    if (e.button !== 0 || !insidePlot(chart, e)) return;
    const x = plotX(chart, e);
    selections.set(chart, { from: x, to: x, forDowntime: e.shiftKey || callbacks.selecting() });
    canvas.setPointerCapture(e.pointerId);
  };
  const move = (e: PointerEvent) => {
    const sel = selections.get(chart);
    if (!sel) return;
    sel.to = plotX(chart, e);
    chart.draw();
  };
  const up = (e: PointerEvent) => {
    const sel = selections.get(chart);
    if (!sel) return;
    selections.delete(chart);
    if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
    chart.draw();
    if (Math.abs(sel.to - sel.from) < MIN_DRAG_PX) return;
    const scale = chart.scales.x;
    const a = scale.getValueForPixel(Math.min(sel.from, sel.to));
    const b = scale.getValueForPixel(Math.max(sel.from, sel.to));
    if (a === undefined || b === undefined) return;
    if (sel.forDowntime) callbacks.onSelect(a, b);
    else callbacks.onZoom(a, b);
  };
  const cancel = () => {
    if (selections.delete(chart)) chart.draw();
  };
  const dblclick = (e: MouseEvent) => {
    if (insidePlot(chart, e)) callbacks.onReset();
  };
  canvas.addEventListener('pointerdown', down);
  canvas.addEventListener('pointermove', move);
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('pointercancel', cancel);
  canvas.addEventListener('dblclick', dblclick);
  return () => {
    canvas.removeEventListener('pointerdown', down);
    canvas.removeEventListener('pointermove', move);
    canvas.removeEventListener('pointerup', up);
    canvas.removeEventListener('pointercancel', cancel);
    canvas.removeEventListener('dblclick', dblclick);
    selections.delete(chart);
  };
}

export const dragZoomPlugin: Plugin<'line'> = {
  id: 'rmDragZoom',
  afterDraw(chart) {
    const sel = selections.get(chart);
    if (!sel) return;
    const { ctx, chartArea: area } = chart;
    ctx.save();
    // Amber for a downtime selection, so the drag shows it will not zoom.
    ctx.fillStyle = sel.forDowntime ? 'rgba(230, 140, 0, 0.22)' : 'rgba(31, 95, 191, 0.18)';
    ctx.strokeStyle = sel.forDowntime ? 'rgba(180, 100, 0, 0.9)' : 'rgba(31, 95, 191, 0.8)';
    const left = Math.min(sel.from, sel.to);
    const width = Math.abs(sel.to - sel.from);
    ctx.fillRect(left, area.top, width, area.bottom - area.top);
    ctx.strokeRect(left, area.top, width, area.bottom - area.top);
    ctx.restore();
  },
};
