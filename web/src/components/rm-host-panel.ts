/**
 * <rm-host-panel> — one small graph of a host page: a unit-coherent set of
 * the host's series (host-panels.ts), its title linking to the full graph
 * of exactly those series over the same range, and its unit. It loads once
 * it comes near the screen (a host of many disks and interfaces does not
 * fetch what nobody scrolls to), and then only about one point per pixel of
 * its width. Lines are labelled with the name after the host's prefix.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { ChartInput } from '../chart/chart-config.js';
import { drawsNothing } from '../empty-reasons.js';
import { formatTime } from '../format.js';
import { toChartSeries } from '../graph-data.js';
import { fetchGraph } from '../graph-fetch.js';
import type { HostPanel } from '../host-panels.js';
import { LoadTask } from '../load-task.js';
import { hrefFor } from '../navigation.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';
import { resolveRange, sameRange, type TimeRange } from '../time-range.js';
import { DEFAULT_STATE } from '../url-state.js';
import './rm-chart.js';

interface PanelData {
  readonly input: ChartInput;
  /** None of its series has rows in the range. */
  readonly blank: boolean;
}

/** Fewest points asked for, before the panel is laid out. */
const MIN_POINTS = 100;
/** How far off screen a panel starts loading, so that scrolling finds it drawn. */
const NEAR = '300px';

/** The line's label: the name after the longest common dotted prefix of the panel's series (`cpu.busy_percent`). */
function shortNames(series: readonly string[]): string[] {
  if (series.length === 0) return [];
  const split = series.map((s) => s.split('.'));
  let common = 0;
  while (split.every((parts) => parts.length > common + 1 && parts[common] === split[0][common])) common++;
  return split.map((parts) => parts.slice(Math.min(common, parts.length - 1)).join('.'));
}

export class RmHostPanel extends LitElement {
  static override properties = {
    panel: { attribute: false },
    range: { attribute: false },
  };

  static override styles = [
    sharedStyles,
    css`
      :host {
        border: 1px solid var(--rm-border, #d5d9e0);
        border-radius: 6px;
        padding: 0.5em 0.7em 0.3em;
        background: var(--rm-panel, #fff);
        min-width: 0;
        --rm-chart-height: 190px;
      }
      header {
        display: flex;
        align-items: baseline;
        gap: 0.6em;
      }
      h3 {
        font-size: 1rem;
        margin: 0;
        flex: 1;
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .unit {
        font-size: 0.85rem;
        white-space: nowrap;
      }
      .note {
        font-size: 0.85rem;
        min-height: 1.2em;
        margin: 0.2em 0 0;
      }
    `,
  ];

  panel: HostPanel | undefined;
  range: TimeRange = DEFAULT_STATE.range;
  private readonly load = new LoadTask<PanelData>(this);
  private near = false;
  private observer: IntersectionObserver | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.observer = new IntersectionObserver(
      (entries) => {
        if (this.near || !entries.some((e) => e.isIntersecting)) return;
        this.near = true;
        this.observer?.disconnect();
        void this.refresh();
      },
      { rootMargin: NEAR },
    );
    this.observer.observe(this);
  }

  override disconnectedCallback(): void {
    this.observer?.disconnect();
    this.near = false;
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // The page's refresh hands over equal panels anew and then refreshes each: only other series or another range load here.
    const before = changed.get('panel') as HostPanel | undefined;
    const otherSeries = changed.has('panel') && before?.series.join('\n') !== this.panel?.series.join('\n');
    const otherRange = changed.has('range') && !(changed.get('range') && sameRange(changed.get('range') as TimeRange, this.range));
    if (this.near && (otherSeries || otherRange)) void this.refresh();
  }

  /** Loads its series again; nothing while it has not come near the screen. */
  refresh(): Promise<void> {
    const panel = this.panel;
    if (!this.near || !panel) return Promise.resolve();
    const range = this.range;
    return this.load.run(async (signal) => {
      const { start, end } = resolveRange(range, Date.now() / 1000);
      const points = Math.max(MIN_POINTS, Math.round(this.getBoundingClientRect().width));
      const outcomes = await fetchGraph(panel.series, { start, end, width: points, cf: 'AVERAGE' }, signal);
      const fetched = outcomes.flatMap((o) => ('fetched' in o ? [o.fetched] : []));
      const short = shortNames(panel.series);
      const labels = new Map(panel.series.map((s, i) => [s, short[i]]));
      const drawn = toChartSeries(fetched, start * 1000, end * 1000, points).map((d) => ({ ...d, label: labels.get(d.label) ?? d.label }));
      return { input: { series: drawn, start: start * 1000, end: end * 1000 }, blank: outcomes.every(drawsNothing) };
    });
  }

  override render() {
    const panel = this.panel;
    if (!panel) return nothing;
    const data = this.load.value;
    const { start, end } = resolveRange(this.range, Date.now() / 1000);
    const unit = panel.unit || 'no unit given';
    return html`<header>
        <h3 title=${panel.title}><a href=${hrefFor({ ...DEFAULT_STATE, view: 'graph', series: panel.series, range: this.range })} aria-label=${`${panel.title}: full graph of ${panel.series.length} series`}>${panel.title}</a></h3>
        <span class="unit muted" data-unit=${panel.unit}>${unit}</span>
      </header>
      <rm-chart .input=${data?.input} label=${`${panel.title} in ${unit}, ${panel.series.length} series, from ${formatTime(start)} to ${formatTime(end)}`}></rm-chart>
      <p class="note muted" role="status">
        ${this.load.status === 'pending' && !data ? 'Loading…' : nothing}${data?.blank ? 'No data in this range.' : nothing}
        ${this.load.status === 'error' ? html`<span class="error">Could not load: ${this.load.errorMessage}</span>` : nothing}
      </p>`;
  }
}

customElements.define('rm-host-panel', RmHostPanel);

declare global {
  interface HTMLElementTagNameMap {
    'rm-host-panel': RmHostPanel;
  }
}
