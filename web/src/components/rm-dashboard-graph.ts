/**
 * <rm-dashboard-graph> — a graph panel: its series (patterns expanded by
 * the series listing, at most a panel's) over its preset range, drawn by
 * <rm-chart> at the panel's height, with a link to the full graph view.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { ConsolidationFunction } from '../api-types.js';
import type { ChartInput } from '../chart/chart-config.js';
import { MAX_PANEL_SERIES } from '../dashboard-types.js';
import { toChartSeries } from '../graph-data.js';
import { fetchGraph } from '../graph-fetch.js';
import { LoadTask } from '../load-task.js';
import { hrefFor } from '../navigation.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';
import { resolveRange, type RangePreset } from '../time-range.js';
import { DEFAULT_STATE } from '../url-state.js';
import './rm-chart.js';

/** Rows asked per series for a panel not laid out yet. */
const MIN_POINTS = 120;

/** The names `entries` stand for: a name itself, a pattern the series it matches; at most a panel's worth. */
async function expand(entries: readonly string[], signal: AbortSignal): Promise<string[]> {
  const lists = await Promise.all(entries.map(async (e) => (e.includes('*') ? (await api.series(e, signal)).map((s) => s.series) : [e])));
  return [...new Set(lists.flat())].slice(0, MAX_PANEL_SERIES);
}

export class RmDashboardGraph extends LitElement {
  static override properties = { series: { attribute: false }, range: { type: String }, cf: { type: String }, label: { type: String } };

  static override styles = [
    sharedStyles,
    css`
      .foot {
        font-size: 0.85rem;
      }
    `,
  ];

  series: readonly string[] = [];
  range: RangePreset = '1d';
  cf: ConsolidationFunction = 'AVERAGE';
  label = 'graph';
  private readonly load = new LoadTask<{ input: ChartInput; names: string[] }>(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('series') || changed.has('range') || changed.has('cf')) void this.refresh();
  }

  refresh(): Promise<void> {
    const { series, range, cf } = this;
    return this.load.run(async (signal) => {
      const { start, end } = resolveRange({ preset: range }, Date.now() / 1000);
      const points = Math.max(MIN_POINTS, Math.round(this.getBoundingClientRect().width));
      const names = await expand(series, signal);
      const outcomes = await fetchGraph(names, { start, end, width: points, cf }, signal);
      const fetched = outcomes.flatMap((o) => ('fetched' in o ? [o.fetched] : []));
      return { input: { series: toChartSeries(fetched, start * 1000, end * 1000, points), start: start * 1000, end: end * 1000 }, names };
    });
  }

  override render() {
    const data = this.load.value;
    return html`
      ${this.load.status === 'error' ? html`<p class="error" role="alert">Could not load the graph: ${this.load.errorMessage}</p>` : nothing}
      <rm-chart .input=${data?.input} label=${this.label}></rm-chart>
      ${data && data.names.length === 0 ? html`<p class="muted">No series matches ${this.series.join(', ')}.</p>` : nothing}
      <p class="foot"><a href=${hrefFor({ ...DEFAULT_STATE, view: 'graph', series: data?.names ?? this.series, range: { preset: this.range }, cf: this.cf })}>Open the full graph</a></p>
    `;
  }
}

customElements.define('rm-dashboard-graph', RmDashboardGraph);

declare global {
  interface HTMLElementTagNameMap {
    'rm-dashboard-graph': RmDashboardGraph;
  }
}
