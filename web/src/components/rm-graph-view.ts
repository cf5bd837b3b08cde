/**
 * <rm-graph-view> — any set of series on one chart over a range,
 * consolidated by the server to one point per pixel of the chart's width
 * with the band of each point's lowest and highest row, with the downtime bands, threshold lines and alarm markers of those
 * series, and the same as tables for reading without the chart.
 * Zooming (drag, or the range controls) changes the URL. A series that
 * draws no line says why (empty-reasons.ts): over the chart when none
 * draws, under it when some do. Shift+drag (or a drag with "Select for
 * downtime" on) opens the downtime form for the span and these series;
 * under the chart, the rules that apply to each series (rm-rules-panel).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { CONSOLIDATION_FUNCTIONS, type ConsolidationFunction, type FetchOutcome, type SeriesInfo, type Transition } from '../api-types.js';
import { splitByUnit } from '../chart/axes.js';
import type { ChartInput } from '../chart/chart-config.js';
import type { Overlays } from '../chart/overlay-types.js';
import { drawsNothing, whyEmpty, type EmptyReason } from '../empty-reasons.js';
import { formatDuration, formatTime } from '../format.js';
import { alarmMarkers, downtimeBands, thresholdMarks, toChartSeries } from '../graph-data.js';
import { fetchGraph } from '../graph-fetch.js';
import { LoadTask } from '../load-task.js';
import { hrefFor, navigate } from '../navigation.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';
import { DEFAULT_PRESET, DEFAULT_RANGE, PRESET_LABELS, fittedStart, resolveRange, sameRange, type TimeRange } from '../time-range.js';
import { axisTitle, formatUnit } from '../units.js';
import { DEFAULT_STATE } from '../url-state.js';
import './rm-chart.js';
import './rm-dashboard-add.js';
import './rm-empty-notes.js';
import './rm-graph-downtime.js';
import './rm-range-picker.js';
import './rm-rules-panel.js';
import './rm-series-chips.js';

interface GraphData {
  readonly input: ChartInput;
  readonly overlays: Overlays;
  readonly alarmsAvailable: boolean;
  /** Seconds per point of the first series, as the server chose it. */
  readonly step: number | null;
  /** Points of the first series span several rows: each is drawn with the band of their lowest and highest, or as min/max per pixel. */
  readonly thinned: boolean;
  /** Values the API answered, all series together. */
  readonly rows: number;
  /** Why each series that draws nothing does not. */
  readonly empty: readonly EmptyReason[];
  /** No series draws anything: the chart is blank. */
  readonly blank: boolean;
  /** The default range cut to where the values begin (ms), or null: shown as asked. */
  readonly fittedFrom: number | null;
  /** Series in units beyond the chart's two axes, by unit: not drawn here, linked to graphs of their own. */
  readonly apart: readonly { readonly unit: string | undefined; readonly series: readonly string[] }[];
}

/** Up to this many series, alarm changes are asked for series by series, and the listing of as many empty ones to say why. */
const FEW_SERIES = 10;

/** Fewest points asked for, for a chart not laid out yet. */
const MIN_POINTS = 200;

export class RmGraphView extends LitElement {
  static override properties = {
    series: { attribute: false },
    range: { attribute: false },
    cf: { type: String },
    selecting: { state: true },
    selection: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      .controls {
        display: flex;
        flex-direction: column;
        gap: 0.6em;
        margin-bottom: 0.8em;
      }
      .status {
        min-height: 1.4em;
      }
      .select-toggle {
        align-self: flex-start;
      }
      .select-toggle[aria-pressed='true'] {
        background: #ffe0b2;
        border-color: #b36200;
      }
      .chart-area {
        position: relative;
      }
      rm-empty-notes[overlay] {
        position: absolute;
        inset: 12% 6% auto;
        display: flex;
        justify-content: center;
      }
      .legend {
        display: flex;
        gap: 1.2em;
        font-size: 0.85rem;
        margin: 0.4em 0;
      }
      .swatch {
        display: inline-block;
        width: 1em;
        height: 0.8em;
        vertical-align: middle;
        border: 1px solid var(--rm-border);
      }
    `,
  ];

  series: readonly string[] = [];
  range: TimeRange = DEFAULT_RANGE;
  cf: ConsolidationFunction = 'AVERAGE';
  private readonly load = new LoadTask<GraphData>(this);
  /** The range before the first zoom, for the double-click that undoes zooming. */
  private zoomBase: TimeRange | null = null;
  private paintedOnce = false;
  /** "Select for downtime" is on: a drag selects instead of zooming. */
  private selecting = false;
  /** The span selected for a downtime (Unix seconds); null: none. */
  private selection: { from: number; to: number } | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    const rangeChanged = changed.has('range') && !(changed.get('range') && sameRange(changed.get('range') as TimeRange, this.range));
    if (changed.has('series') || changed.has('cf') || rangeChanged) void this.refresh();
  }

  /** Loads the graph again (a preset range moves on with the clock). */
  refresh(): Promise<void> {
    const series = [...this.series];
    const range = this.range;
    const cf = this.cf;
    return this.load.run(async (signal) => {
      const { start, end } = resolveRange(range, Date.now() / 1000);
      // A value a pixel column of the plot area, once a chart has laid one out: the element's width would ask for buckets the y axis covers.
      const width = this.renderRoot.querySelector('rm-chart')?.plotWidth ?? this.getBoundingClientRect().width;
      const points = Math.max(MIN_POINTS, Math.round(width));
      const [outcomes, downtimes, alarms, transitions] = await Promise.all([
        fetchGraph(series, { start, end, width: points, cf }, signal),
        series.length ? api.downtimes({ from: start, to: end }, signal) : Promise.resolve([]),
        series.length ? api.alarms(signal) : Promise.resolve(null),
        series.length ? this.transitions(series, start, end, signal) : Promise.resolve(null),
      ]);
      const fetched = outcomes.flatMap((o) => ('fetched' in o ? [o.fetched] : []));
      const { shown: drawn, apart } = splitByUnit(toChartSeries(fetched, start * 1000, end * 1000, points));
      const units = new Map(fetched.map((f) => [f.series, f.unit]));
      const firstValue = Math.min(...drawn.map((d) => d.points.find((p) => p.y !== null)?.x ?? Infinity));
      const shownStart = fittedStart(range, start * 1000, end * 1000, Number.isFinite(firstValue) ? firstValue : null, (fetched[0]?.step ?? 0) * 1000);
      const emptyOnes = outcomes.filter(drawsNothing);
      const listed = await this.listings(emptyOnes, signal);
      const empty = emptyOnes.flatMap((o) => whyEmpty(o, listed.get(o.series), start, end) ?? []);
      return {
        input: { series: drawn, start: shownStart, end: end * 1000 },
        fittedFrom: shownStart > start * 1000 ? shownStart : null,
        overlays: { bands: downtimeBands(downtimes, series), thresholds: thresholdMarks(alarms, series, units), markers: alarmMarkers(transitions, series) },
        alarmsAvailable: alarms !== null,
        step: fetched[0]?.step ?? null,
        thinned: drawn.some((d) => d.envelope !== undefined || d.points.length < (fetched.find((f) => f.series === d.label)?.values.length ?? 0)),
        rows: fetched.reduce((n, f) => n + f.values.length, 0),
        empty,
        blank: series.length > 0 && emptyOnes.length === series.length,
        apart: apart.map((a) => ({ unit: a.unit, series: a.series.map((s) => s.label) })),
      };
    });
  }

  /**
   * What the series listing says of the first few series that draw nothing
   * (last sample, definition, drift): the rest are explained from their
   * fetch alone. A listing that fails leaves its series unexplained by it.
   */
  private async listings(empty: readonly FetchOutcome[], signal: AbortSignal): Promise<Map<string, SeriesInfo>> {
    const found = await Promise.all(
      empty.slice(0, FEW_SERIES).map((o) =>
        api.series(o.series, signal).then(
          (list) => list.find((i) => i.series === o.series),
          () => undefined,
        ),
      ),
    );
    return new Map(found.flatMap((i) => (i ? [[i.series, i] as const] : [])));
  }

  /** This graph over another range. */
  private readonly hrefOf = (range: { from: number; to: number }): string => hrefFor({ ...DEFAULT_STATE, view: 'graph', series: this.series, range, cf: this.cf });

  /**
   * The alarm changes of `series` in the range: asked per series for a few
   * (so other series' changes cannot crowd them out of the API's limit),
   * all at once for many.
   */
  private async transitions(series: readonly string[], start: number, end: number, signal: AbortSignal): Promise<Transition[] | null> {
    if (series.length > FEW_SERIES) return api.alarmHistory({ from: start, to: end, limit: 10_000 }, signal);
    const lists = await Promise.all(series.map((s) => api.alarmHistory({ series: s, from: start, to: end }, signal)));
    return lists.some((l) => l === null) ? null : lists.flatMap((l) => l ?? []);
  }

  private onZoom(e: CustomEvent<{ from: number; to: number }>): void {
    this.zoomBase ??= this.range;
    navigate(this, { range: { from: e.detail.from, to: e.detail.to } });
  }

  private onZoomReset(): void {
    const base = this.zoomBase ?? DEFAULT_RANGE;
    this.zoomBase = null;
    navigate(this, { range: base });
  }

  private onSelected(e: CustomEvent<{ from: number; to: number }>): void {
    this.selection = e.detail;
    this.selecting = false;
  }

  private onDowntimeFiled(): void {
    this.selection = null;
    void this.refresh();
  }

  private onPainted(e: CustomEvent<{ series: number; points: number }>): void {
    this.dataset.painted = String(e.detail.points);
    this.dataset.rows = String(this.load.value?.rows ?? 0);
    // The mark benchmarks and tests read: navigation start to the first complete graph.
    if (!this.paintedOnce && e.detail.series > 0) {
      this.paintedOnce = true;
      performance.mark('rm:graph-painted', { detail: e.detail });
    }
  }

  /** The series in a third or later unit: one axis per unit leaves them to graphs of their own. */
  private renderApart(data: GraphData) {
    if (data.apart.length === 0) return nothing;
    const href = (series: readonly string[]) => hrefFor({ ...DEFAULT_STATE, view: 'graph', series, range: this.range, cf: this.cf });
    return html`<p class="apart" role="note">
      Not drawn here: one axis per unit, and this graph has two. In other units:
      ${data.apart.map((a, i) => html`${i ? ', ' : ''}<a href=${href(a.series)}>${a.series.length} series in ${axisTitle(a.unit)}</a>`)}.
    </p>`;
  }

  private renderTables(data: GraphData) {
    const { bands, markers } = data.overlays;
    return html`
      <div class="legend" aria-hidden="true">
        <span><span class="swatch" style="background:rgba(31,95,191,0.25)"></span> planned downtime</span>
        <span><span class="swatch" style="background:rgba(198,40,40,0.25)"></span> unplanned downtime</span>
        ${data.alarmsAvailable ? html`<span>dashed lines: warning / critical thresholds; triangles: alarm changes</span>` : nothing}
      </div>
      ${bands.length
        ? html`<h2>Downtimes in this range</h2>
            <table id="bands">
              <thead><tr><th>Kind</th><th>From</th><th>To</th><th>Reason</th><th>Author</th><th>Scope</th></tr></thead>
              <tbody>
                ${bands.map(
                  (b) => html`<tr data-id=${b.id}><td>${b.kind}</td><td>${formatTime(b.start / 1000)}</td><td>${b.end === null ? 'ongoing' : formatTime(b.end / 1000)}</td><td>${b.reason}</td><td>${b.author}</td><td>${b.scope.join(', ')}</td></tr>`,
                )}
              </tbody>
            </table>`
        : nothing}
      ${markers.length
        ? html`<h2>Alarm changes in this range</h2>
            <table id="transitions">
              <thead><tr><th>At</th><th>Series</th><th>Rule</th><th>Change</th><th>Value</th></tr></thead>
              <tbody>
                ${markers.map((m) => html`<tr><td>${formatTime(m.at / 1000)}</td><td>${m.series}</td><td>${m.rule}</td><td>${m.from} → ${m.to}${m.suppressed ? ' (silenced)' : ''}</td><td>${formatUnit(m.value, data.input.series.find((s) => s.label === m.series)?.unit)}</td></tr>`)}
              </tbody>
            </table>`
        : nothing}
    `;
  }

  override render() {
    const data = this.load.value;
    const { start, end } = resolveRange(this.range, Date.now() / 1000);
    const label = `Graph of ${this.series.join(', ')} from ${formatTime(start)} to ${formatTime(end)}`;
    return html`
      <div class="controls">
        <rm-series-chips .series=${this.series}></rm-series-chips>
        <rm-range-picker .range=${this.range}></rm-range-picker>
        <label
          >Consolidation
          <select @change=${(e: Event) => navigate(this, { cf: (e.target as HTMLSelectElement).value as ConsolidationFunction })}>
            ${CONSOLIDATION_FUNCTIONS.map((c) => html`<option ?selected=${c === this.cf}>${c}</option>`)}
          </select>
        </label>
        <button type="button" class="select-toggle" aria-pressed=${this.selecting ? 'true' : 'false'} @click=${() => (this.selecting = !this.selecting)} ?disabled=${this.series.length === 0}>Select for downtime</button>
        <rm-dashboard-add .series=${this.series} .range=${this.range} .cf=${this.cf}></rm-dashboard-add>
      </div>
      <div class="status" role="status">
        ${this.load.status === 'pending' ? 'Loading…' : nothing}
        ${data?.fittedFrom ? html`<span class="muted" id="fitted">Values begin at ${formatTime(data.fittedFrom / 1000)}: shown from there, not the whole ${PRESET_LABELS[DEFAULT_PRESET]};</span> ` : nothing}
        ${data?.step ? html`<span class="muted">one point per ${formatDuration(data.step)}${data.thinned ? ', shaded from the lowest to the highest' : ''}; ${this.selecting ? 'drag across the graph to select the span for a downtime' : 'drag across the graph to zoom, double-click to undo, shift+drag to select a span for a downtime'}</span>` : nothing}
      </div>
      ${this.load.status === 'error' ? html`<p class="error" role="alert">Could not load the graph: ${this.load.errorMessage}</p>` : nothing}
      ${this.series.length === 0
        ? html`<p class="muted">No series chosen: add one above, or pick some in the overview.</p>`
        : html`<div class="chart-area">
            <rm-chart .input=${data?.input} .overlays=${data?.overlays} label=${label} ?selecting=${this.selecting} @rm-range-select=${this.onSelected} @rm-zoom=${this.onZoom} @rm-zoom-reset=${this.onZoomReset} @rm-chart-painted=${this.onPainted}></rm-chart>
            ${data?.blank ? html`<rm-empty-notes overlay .reasons=${data.empty} .hrefOf=${this.hrefOf}></rm-empty-notes>` : nothing}
          </div>`}
      ${data ? this.renderApart(data) : nothing}
      ${data && !data.blank && data.empty.length ? html`<rm-empty-notes .reasons=${data.empty} .hrefOf=${this.hrefOf}></rm-empty-notes>` : nothing}
      <rm-graph-downtime .series=${this.series} .selection=${this.selection} @rm-downtime-filed=${this.onDowntimeFiled} @rm-selection-close=${() => (this.selection = null)}></rm-graph-downtime>
      ${this.series.length ? html`<rm-rules-panel .series=${this.series}></rm-rules-panel>` : nothing}
      ${data && this.series.length ? this.renderTables(data) : nothing}
    `;
  }
}

customElements.define('rm-graph-view', RmGraphView);

declare global {
  interface HTMLElementTagNameMap {
    'rm-graph-view': RmGraphView;
  }
}
