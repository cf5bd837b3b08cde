/**
 * The chart.js instance of a graph element, as a Lit reactive controller:
 * created on the host's first update once its canvas exists, updated in
 * place when the input changes, destroyed when the host disconnects (a
 * chart left behind keeps listeners and its canvas alive).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Chart } from './chart-setup.js';
import { chartConfig, chartOptions, datasets, type ChartInput, type ChartPoint } from './chart-config.js';
import { attachDragZoom, dragZoomPlugin, type DragZoomCallbacks } from './drag-zoom.js';
import { envelopePlugin } from './envelope-plugin.js';
import type { OverlayHit, Overlays } from './overlay-types.js';
import { overlaysPlugin, setOverlays } from './overlays-plugin.js';

export interface ChartCallbacks extends DragZoomCallbacks {
  readonly onHover: (hit: OverlayHit | null, x: number, y: number) => void;
}

export class ChartController implements ReactiveController {
  chart: Chart<'line', ChartPoint[]> | undefined;
  private detach: (() => void) | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly canvas: () => HTMLCanvasElement | null,
    private readonly callbacks: ChartCallbacks,
  ) {
    host.addController(this);
  }

  /** Draws `input` with `overlays`: creates the chart the first time, then updates it without animation. */
  show(input: ChartInput, overlays: Overlays): void {
    const canvas = this.canvas();
    if (!canvas) return;
    if (this.chart && this.chart.canvas !== canvas) this.destroy();
    if (!this.chart) {
      // Plugins draw in this order: downtime bands, the envelopes over them, then chart.js's lines.
      const chart = new Chart(canvas, { ...chartConfig(input, overlays.thresholds), plugins: [overlaysPlugin, envelopePlugin, dragZoomPlugin] });
      this.chart = chart;
      setOverlays(chart, overlays, this.callbacks.onHover);
      this.detach = attachDragZoom(chart, this.callbacks);
      chart.draw();
      return;
    }
    const chart = this.chart;
    setOverlays(chart, overlays, this.callbacks.onHover);
    chart.data.datasets = datasets(input.series);
    // All options anew: the units (so the axes), the range and the time settings may all have changed.
    chart.options = chartOptions(input, overlays.thresholds) ?? {};
    chart.update('none');
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.destroy();
  }

  private destroy(): void {
    this.detach?.();
    this.detach = undefined;
    this.chart?.destroy();
    this.chart = undefined;
  }
}
