/**
 * <rm-heatmap-view> — series × time buckets as a grid of coloured cells
 * (GET /api/v1/heatmap): a configured view (GET /api/v1/heatmaps) or any
 * series pattern, a bucket, a CF and the range picker's range, all in the
 * URL. A legend names the colour classes; hovering (or focusing) a cell
 * says its series, time range and value with its unit; clicking it opens
 * the graph of that series over that bucket. The cells' colours are the
 * classes the server gave each value, the same as the PNG's.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { CONSOLIDATION_FUNCTIONS, type ConsolidationFunction } from '../api-types.js';
import {
  autoBucket,
  BUCKETS,
  cellColour,
  cellHref,
  cellRange,
  cellText,
  columnLabels,
  rowHref,
  rowLabel,
  type Heatmap,
  type HeatmapViewInfo,
} from '../heatmap-data.js';
import { LoadTask } from '../load-task.js';
import { navigate } from '../navigation.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';
import { resolveRange, sameRange, type TimeRange } from '../time-range.js';
import './rm-range-picker.js';

interface HeatmapData {
  readonly views: readonly HeatmapViewInfo[];
  /** Null when there is nothing to ask yet: no pattern and no configured view. */
  readonly map: Heatmap | null;
}

export class RmHeatmapView extends LitElement {
  static override properties = {
    view: { type: String },
    match: { type: String },
    bucket: { type: String },
    range: { attribute: false },
    cf: { type: String },
    compact: { type: Boolean },
    hovered: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.6em 1.2em;
        align-items: end;
        margin-bottom: 0.8em;
      }
      label {
        display: flex;
        flex-direction: column;
        font-size: 0.85rem;
        color: var(--rm-muted, #5b6472);
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 1.2em;
        list-style: none;
        padding: 0;
        margin: 0.6em 0;
        font-size: 0.9rem;
      }
      .swatch {
        display: inline-block;
        width: 1.1em;
        height: 0.9em;
        vertical-align: middle;
        margin-right: 0.35em;
        border: 1px solid #8a909a;
      }
      .grid-wrap {
        overflow-x: auto;
      }
      table.grid {
        width: auto;
        border-collapse: separate;
        border-spacing: 1px;
      }
      table.grid th,
      table.grid td {
        padding: 0;
        border: none;
      }
      table.grid th.row {
        padding-right: 0.6em;
        white-space: nowrap;
        font-weight: 400;
        text-align: right;
      }
      /* A target a finger can hit (24 px, WCAG 2.5.8): the rows sit close together. */
      table.grid th.row a {
        display: inline-block;
        line-height: 24px;
      }
      /* Column times read upwards, one a column, so that each fits its column's width. */
      table.grid thead th {
        font-size: 0.75rem;
        font-weight: 400;
        white-space: nowrap;
        vertical-align: bottom;
        padding-bottom: 0.3em;
      }
      table.grid thead th span {
        writing-mode: vertical-rl;
        transform: rotate(180deg);
      }
      td.cell {
        width: 18px;
        min-width: 18px;
        height: 20px;
        cursor: pointer;
      }
      td.cell:hover,
      td.cell:focus-visible {
        outline: 2px solid #1d2330;
        outline-offset: 0;
      }
      #heatmap-hover {
        min-height: 1.4em;
        font-variant-numeric: tabular-nums;
      }
      .problem {
        color: var(--rm-muted, #5b6472);
        font-style: italic;
      }
    `,
  ];

  /** A configured view's name; empty for none. */
  view = '';
  /** A series pattern; empty for the view's. */
  match = '';
  /** A bucket (`1d`); empty for the view's, or one fit for the range. */
  bucket = '';
  range: TimeRange = { preset: '1M' };
  cf: ConsolidationFunction = 'AVERAGE';
  /** Without the controls and range picker: a dashboard panel, whose settings are the panel's. */
  compact = false;
  private hovered: { row: number; col: number } | null = null;
  private readonly load = new LoadTask<HeatmapData>(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    const rangeChanged = changed.has('range') && !(changed.get('range') && sameRange(changed.get('range') as TimeRange, this.range));
    if (changed.has('view') || changed.has('match') || changed.has('bucket') || changed.has('cf') || rangeChanged) void this.refresh();
  }

  /** Loads the heatmap again (a preset range moves on with the clock). */
  refresh(): Promise<void> {
    const { view, match, bucket, range, cf } = this;
    return this.load.run(async (signal) => {
      const views = await api.heatmapViews(signal).catch(() => [] as HeatmapViewInfo[]);
      const chosen = view || (match ? '' : (views[0]?.name ?? ''));
      if (!chosen && !match) return { views, map: null };
      const { start, end } = resolveRange(range, Date.now() / 1000);
      const ofView = views.find((v) => v.name === chosen);
      const map = await api.heatmap(
        {
          ...(chosen ? { view: chosen } : {}),
          ...(match ? { match } : {}),
          bucket: bucket || (ofView ? undefined : autoBucket(end - start)),
          from: start,
          to: end,
          cf,
        },
        signal,
      );
      return { views, map };
    });
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value.trim();
    navigate(this, { heatmap: value('view') || undefined, match: value('match') || undefined, bucket: value('bucket') || undefined, cf: value('cf') as ConsolidationFunction });
  }

  /** The cell under the pointer (or focused): its row and column from the data attributes. */
  private cellAt(e: Event): { row: number; col: number } | null {
    const cell = (e.composedPath()[0] as Element | undefined)?.closest?.('td.cell');
    if (!cell) return null;
    return { row: Number(cell.getAttribute('data-row')), col: Number(cell.getAttribute('data-col')) };
  }

  private onPoint(e: Event): void {
    const at = this.cellAt(e);
    if (at) this.hovered = at;
  }

  /** The graph of the cell's series over its bucket: in place, or in a new tab with Ctrl or ⌘. */
  private openCell(at: { row: number; col: number }, newTab: boolean): void {
    const map = this.load.value?.map;
    const row = map?.series[at.row];
    if (!map || !row) return;
    if (newTab) window.open(cellHref(map, row.series, at.col), '_blank', 'noopener');
    else navigate(this, { view: 'graph', series: [row.series], range: cellRange(map, at.col), cf: map.cf, heatmap: undefined, match: undefined, bucket: undefined });
  }

  private onCellClick(e: MouseEvent): void {
    const at = this.cellAt(e);
    if (at) this.openCell(at, e.ctrlKey || e.metaKey);
  }

  /** Enter opens the focused cell's graph; the arrow keys move between cells (one cell a row is in the tab order). */
  private onCellKey(e: KeyboardEvent): void {
    const at = this.cellAt(e);
    if (!at) return;
    if (e.key === 'Enter') return this.openCell(at, false);
    const move: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    const step = move[e.key];
    const next = step && this.renderRoot.querySelector<HTMLElement>(`td.cell[data-row="${at.row + step[0]}"][data-col="${at.col + step[1]}"]`);
    if (next) {
      e.preventDefault();
      next.focus();
    }
  }

  private renderControls(views: readonly HeatmapViewInfo[]) {
    return html`<form class="controls" @submit=${this.onSubmit}>
      ${views.length > 0
        ? html`<label
            >View
            <select name="view">
              <option value="" ?selected=${!this.view}>${this.match ? '(none)' : '(first)'}</option>
              ${views.map((v) => html`<option value=${v.name} ?selected=${v.name === this.view}>${v.title ?? v.name}</option>`)}
            </select></label
          >`
        : html`<input type="hidden" name="view" value="" />`}
      <label>Series pattern <input name="match" .value=${this.match} placeholder=${views.length > 0 ? "the view's" : 'broker.*.error_rate'} size="28" maxlength="1024" /></label>
      <label
        >Bucket
        <select name="bucket">
          <option value="" ?selected=${!this.bucket}>(default)</option>
          ${BUCKETS.map((b) => html`<option value=${b} ?selected=${b === this.bucket}>${b}</option>`)}
        </select></label
      >
      <label
        >Consolidation
        <select name="cf">
          ${CONSOLIDATION_FUNCTIONS.map((c) => html`<option value=${c} ?selected=${c === this.cf}>${c}</option>`)}
        </select></label
      >
      <button type="submit" class="primary">Show</button>
    </form>`;
  }

  private renderLegend(map: Heatmap) {
    return html`<ul class="legend" aria-label="Legend">
      <li data-colour=${map.noData}><span class="swatch" style="background:${map.noData}"></span>no data</li>
      ${map.classes.map((c) => html`<li data-colour=${c.colour}><span class="swatch" style="background:${c.colour}"></span>${c.label}</li>`)}
    </ul>`;
  }

  private renderGrid(map: Heatmap) {
    const labels = columnLabels(map);
    const hovered = this.hovered && map.series[this.hovered.row] && this.hovered.col < map.columns ? this.hovered : null;
    return html`
      ${this.renderLegend(map)}
      <p id="heatmap-hover" aria-live="polite">${hovered ? cellText(map, map.series[hovered.row], hovered.col) : html`<span class="problem">Point at a cell for its value; click it for its graph.</span>`}</p>
      <div class="grid-wrap">
        <table class="grid" @mouseover=${this.onPoint} @focusin=${this.onPoint} @click=${this.onCellClick} @keydown=${this.onCellKey}>
          <caption class="visually-hidden">${map.title ?? map.match}: ${map.cf} per ${map.bucket} s</caption>
          <thead>
            <tr>
              <th scope="col"><span class="visually-hidden">Series</span></th>
              ${labels.map((l) => html`<th scope="col">${l === null ? nothing : html`<span>${l}</span>`}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${map.series.map(
              (row, r) => html`<tr data-series=${row.series}>
                <th scope="row" class="row"><a href=${rowHref(map, row.series)} title=${row.problem ?? ''}>${rowLabel(row)}</a>${row.problem ? html` <span class="problem">(${row.problem})</span>` : nothing}</th>
                ${row.values.map(
                  (_v, c) => html`<td class="cell" data-row=${r} data-col=${c} tabindex=${c === 0 ? '0' : '-1'} style="background:${cellColour(map, row, c)}"></td>`,
                )}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${map.series.length === 0 ? html`<p class="problem">No series matches ${map.match}.</p>` : nothing}
    `;
  }

  override render() {
    const data = this.load.value;
    const map = data?.map;
    return html`
      ${this.compact ? nothing : html`${this.renderControls(data?.views ?? [])}<rm-range-picker .range=${this.range}></rm-range-picker>`}
      <p class="status" role=${this.load.status === 'error' ? 'alert' : nothing}>
        ${this.load.status === 'pending' ? 'Loading…' : this.load.status === 'error' ? this.load.errorMessage : nothing}
      </p>
      ${map ? this.renderGrid(map) : data ? html`<p>Give a series pattern (or configure a view under <code>heatmaps.views</code>).</p>` : nothing}
    `;
  }
}

customElements.define('rm-heatmap-view', RmHeatmapView);

declare global {
  interface HTMLElementTagNameMap {
    'rm-heatmap-view': RmHeatmapView;
  }
}
