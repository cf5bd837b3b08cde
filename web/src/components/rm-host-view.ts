/**
 * <rm-host-view> — a host page, as Munin users know them: for a group of
 * the overview or a node (host-scope.ts), its open alarms on top (most
 * urgent first), its nodes with their state and last contact
 * (<rm-nodes-panel>), then a grid of small graphs, one per unit-coherent
 * set of its series (host-panels.ts, <rm-host-panel>), each linking to the
 * full graph of exactly its series. Dragging across a small graph zooms
 * the whole page (the range is in the URL, as the graph's).
 */
import { LitElement, css, html, nothing } from 'lit';
import type { Alarm, NodeInfo, SeriesInfo } from '../api-types.js';
import { formatTime } from '../format.js';
import { formatUnit } from '../units.js';
import { hostPanels, type HostPanel } from '../host-panels.js';
import { hostScope, inScope, type HostScope } from '../host-scope.js';
import { LoadTask } from '../load-task.js';
import { hrefFor, itemHref, navigate } from '../navigation.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';
import type { TimeRange } from '../time-range.js';
import { DEFAULT_STATE } from '../url-state.js';
import type { RmHostPanel } from './rm-host-panel.js';
import './rm-host-panel.js';
import './rm-nodes-panel.js';
import './rm-range-picker.js';
import './rm-status-icon.js';

interface HostData {
  readonly scope: HostScope;
  readonly panels: readonly HostPanel[];
  /** Its alarms not OK, most urgent first; null without the alarms API. */
  readonly alarms: readonly Alarm[] | null;
  /** Series → unit, for the alarms' values. */
  readonly units: ReadonlyMap<string, string>;
  readonly names: ReadonlyMap<string, string> | null;
  readonly at: number;
}

const SEVERITY: Record<Alarm['state'], number> = { CRITICAL: 0, WARNING: 1, NODATA: 2, OK: 3 };

function byState(a: Alarm, b: Alarm): number {
  return SEVERITY[a.state] - SEVERITY[b.state] || (a.series < b.series ? -1 : a.series > b.series ? 1 : 0);
}

/** The display names of the scope's nodes; names are a help, so any failure leaves them out. */
function namesOf(nodes: readonly NodeInfo[], signal: AbortSignal): Promise<ReadonlyMap<string, string> | null> {
  return nodes.length === 0 ? Promise.resolve(null) : api.displayNames(new Set(nodes.map((n) => n.name)), signal).catch(() => null);
}

export class RmHostView extends LitElement {
  static override properties = {
    host: { type: String },
    range: { attribute: false },
  };

  static override styles = [
    sharedStyles,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(22em, 1fr));
        gap: 0.9em;
      }
      section {
        margin-bottom: 1.2em;
      }
      h2 {
        font-size: 1.1rem;
        margin: 0 0 0.5em;
      }
      td.value {
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      rm-range-picker {
        margin-bottom: 0.9em;
      }
    `,
  ];

  host = '';
  range: TimeRange = DEFAULT_STATE.range;
  private readonly load = new LoadTask<HostData>(this);

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('host')) void this.reload();
  }

  /** Loads the listing, alarms and nodes again, then each small graph shown. */
  async refresh(): Promise<void> {
    await this.reload();
    await Promise.all([...this.renderRoot.querySelectorAll<RmHostPanel>('rm-host-panel')].map((p) => p.refresh()));
  }

  private reload(): Promise<void> {
    const host = this.host;
    if (!host) return Promise.resolve();
    return this.load.run(async (signal) => {
      const [nodes, alarms] = await Promise.all([api.nodes(signal), api.alarms(signal)]);
      const scope = hostScope(host, nodes);
      const [lists, names] = await Promise.all([Promise.all(scope.prefixes.map((p) => api.series(`${p}.**`, signal))), namesOf(scope.nodes, signal)]);
      const series: SeriesInfo[] = lists.flat();
      return {
        scope,
        panels: hostPanels(series, scope.prefixes),
        alarms: alarms === null ? null : alarms.filter((a) => a.state !== 'OK' && inScope(a.series, scope)).sort(byState),
        units: new Map(series.flatMap((s) => (s.unit ? [[s.series, s.unit] as const] : []))),
        names,
        at: Date.now() / 1000,
      };
    });
  }

  private renderAlarms(data: HostData) {
    if (data.alarms === null) return html`<p class="muted">This server has no alarms API: states show in the nodes and graphs only.</p>`;
    if (data.alarms.length === 0) return html`<p class="muted" id="no-open-alarms">No open alarms.</p>`;
    return html`<table id="host-alarms">
      <caption class="visually-hidden">Open alarms, most urgent first</caption>
      <thead><tr><th>State</th><th>Series</th><th>Rule</th><th>Since</th><th>Value</th><th>Threshold</th></tr></thead>
      <tbody>
        ${data.alarms.map((a) => {
          const unit = data.units.get(a.series);
          return html`<tr data-series=${a.series} data-state=${a.state}>
            <td><rm-status-icon kind=${a.state} ?acknowledged=${a.acknowledgement !== undefined}></rm-status-icon></td>
            <td><a href=${itemHref(a.series)}>${a.series}</a></td>
            <td>${a.rule}</td>
            <td>${formatTime(a.since)}</td>
            <td class="value">${formatUnit(a.value, unit)}</td>
            <td>${a.threshold ?? ''}</td>
          </tr>`;
        })}
      </tbody>
    </table>`;
  }

  private renderBody(data: HostData) {
    return html`
      <section aria-labelledby="alarms-heading">
        <h2 id="alarms-heading">Open alarms</h2>
        ${this.renderAlarms(data)}
      </section>
      ${data.scope.nodes.length ? html`<section><rm-nodes-panel .nodes=${data.scope.nodes} .names=${data.names} .now=${data.at}></rm-nodes-panel></section>` : nothing}
      <section aria-labelledby="graphs-heading">
        <h2 id="graphs-heading">Graphs <span class="muted">(${data.panels.length})</span></h2>
        <rm-range-picker .range=${this.range}></rm-range-picker>
        ${data.panels.length === 0
          ? html`<p class="muted" id="no-series">No series under ${data.scope.prefixes.join(', ')}.</p>`
          : html`<div class="grid" @rm-zoom=${(e: CustomEvent<{ from: number; to: number }>) => navigate(this, { range: { from: e.detail.from, to: e.detail.to } })}>
              ${data.panels.map((p) => html`<rm-host-panel data-key=${p.key} .panel=${p} .range=${this.range}></rm-host-panel>`)}
            </div>`}
      </section>
    `;
  }

  override render() {
    if (!this.host) return html`<p class="muted">No host chosen: follow a group's or a node's <strong>host page</strong> link in the <a href=${hrefFor(DEFAULT_STATE)}>overview</a>.</p>`;
    const data = this.load.value;
    return html`
      <p class="host-name"><strong>${this.host}</strong> ${data?.scope.prefixes.length && data.scope.prefixes.join() !== this.host ? html`<span class="muted">series under ${data.scope.prefixes.join(', ')}</span>` : nothing}</p>
      ${this.load.status === 'pending' && !data ? html`<p class="muted" role="status">Loading…</p>` : nothing}
      ${this.load.status === 'error' ? html`<p class="error" role="alert">Could not load the host: ${this.load.errorMessage}</p>` : nothing}
      ${data ? this.renderBody(data) : nothing}
    `;
  }
}

customElements.define('rm-host-view', RmHostView);

declare global {
  interface HTMLElementTagNameMap {
    'rm-host-view': RmHostView;
  }
}
