/**
 * Reading a drawn graph back from the page: the chart.js instance that
 * <rm-chart> exposes (`element.chart`), its overlays, and pixels of its
 * canvas. The functions passed to `evaluate` run in the browser.
 */
import type { Locator, Page } from 'playwright-core';

interface Point {
  x: number;
  y: number | null;
}

/** The parts of a chart.js instance the probes touch. */
interface ChartLike {
  /** `rmEnvelope`: a line's MIN/MAX envelope, which web/src/chart/envelope-plugin.ts draws as its band. */
  data: { datasets: { label: string; data: Point[]; rmEnvelope?: { low: Point[]; high: Point[] } }[] };
  scales: { x: { min: number; max: number; getPixelForValue(v: number): number }; y: { getPixelForValue(v: number): number } };
  chartArea: { left: number; right: number; top: number; bottom: number };
  ctx: { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
  currentDevicePixelRatio: number;
}

interface ChartElement {
  chart: ChartLike | undefined;
  overlays: { bands: { id: number; kind: string; start: number; end: number | null; reason: string; author: string }[] };
}

export interface DrawnSeries {
  readonly label: string;
  readonly points: [number, number | null][];
}

export function chartElement(page: Page): Locator {
  return page.locator('rm-chart');
}

/** The lines drawn, one a series (their envelope bands: drawnEnvelopes). */
export function drawnSeries(page: Page): Promise<DrawnSeries[]> {
  return chartElement(page).evaluate((el) => {
    const chart = (el as unknown as ChartElement).chart;
    return (chart?.data.datasets ?? []).map((d) => ({ label: d.label, points: d.data.map((p): [number, number | null] => [p.x, p.y]) }));
  });
}

export interface DrawnEnvelope {
  /** The series whose band it is. */
  readonly series: string;
  readonly low: [number, number | null][];
  readonly high: [number, number | null][];
}

/** The MIN/MAX bands drawn, one per series that has one. */
export function drawnEnvelopes(page: Page): Promise<DrawnEnvelope[]> {
  return chartElement(page).evaluate((el) => {
    const datasets = (el as unknown as ChartElement).chart?.data.datasets ?? [];
    const points = (ps: Point[]) => ps.map((p): [number, number | null] => [p.x, p.y]);
    return datasets.flatMap((d) => (d.rmEnvelope ? [{ series: d.label, low: points(d.rmEnvelope.low), high: points(d.rmEnvelope.high) }] : []));
  });
}

export function xRange(page: Page): Promise<{ min: number; max: number } | null> {
  return chartElement(page).evaluate((el) => {
    const chart = (el as unknown as ChartElement).chart;
    return chart ? { min: chart.scales.x.min, max: chart.scales.x.max } : null;
  });
}

export function drawnBands(page: Page): Promise<ChartElement['overlays']['bands']> {
  return chartElement(page).evaluate((el) => (el as unknown as ChartElement).overlays.bands.map((b) => ({ ...b })));
}

/** Where a time (ms) is on the canvas, in CSS pixels from the canvas' top left, and the plot area. */
export function pixelOf(page: Page, t: number): Promise<{ x: number; area: ChartLike['chartArea'] }> {
  return chartElement(page).evaluate((el, time) => {
    const chart = (el as unknown as ChartElement).chart;
    if (!chart) throw new Error('no chart');
    return { x: chart.scales.x.getPixelForValue(time), area: { ...chart.chartArea } };
  }, t);
}

/**
 * The colours down the plot area at time `t` (ms): how many pixels of the
 * column are tinted blue (planned band), red (unplanned band), or neither.
 */
export function columnTint(page: Page, t: number): Promise<{ blue: number; red: number; total: number }> {
  return chartElement(page).evaluate((el, time) => {
    const chart = (el as unknown as ChartElement).chart;
    if (!chart) throw new Error('no chart');
    const ratio = chart.currentDevicePixelRatio;
    const x = Math.round(chart.scales.x.getPixelForValue(time) * ratio);
    const top = Math.round(chart.chartArea.top * ratio) + 2;
    const bottom = Math.round(chart.chartArea.bottom * ratio) - 2;
    const { data } = chart.ctx.getImageData(x, top, 1, bottom - top);
    let blue = 0;
    let red = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      if (b - r > 15 && b > 180) blue++;
      else if (r - b > 15 && r > 180 && g < 235) red++;
    }
    return { blue, red, total: data.length / 4 };
  }, t);
}

/** The colours [r, g, b, alpha] of the 5×5 pixels around time `t` (ms) and value `v` on the canvas (transparent where nothing is drawn). */
export function coloursAround(page: Page, t: number, v: number): Promise<[number, number, number, number][]> {
  return chartElement(page).evaluate(
    (el, [time, value]) => {
      const chart = (el as unknown as ChartElement).chart;
      if (!chart) throw new Error('no chart');
      const ratio = chart.currentDevicePixelRatio;
      // A 5×5 box, not one pixel: a line's anti-aliased edge may fall either side of the exact spot.
      const x = Math.round(chart.scales.x.getPixelForValue(time) * ratio) - 2;
      const y = Math.round(chart.scales.y.getPixelForValue(value) * ratio) - 2;
      const { data } = chart.ctx.getImageData(x, y, 5, 5);
      const pixels: [number, number, number, number][] = [];
      for (let i = 0; i < data.length; i += 4) pixels.push([data[i], data[i + 1], data[i + 2], data[i + 3]]);
      return pixels;
    },
    [t, v] as const,
  );
}
