/**
 * <rm-dashboard-alarms> — an alarm-list panel: the alarms of the series a
 * pattern matches, problems first (CRITICAL, WARNING, NODATA, then OK),
 * each with its state, value and unit, linking to its graph.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { Alarm, AlarmState } from '../api-types.js';
import { formatTime } from '../format.js';
import { formatUnit } from '../units.js';
import { LoadTask } from '../load-task.js';
import { itemHref } from '../navigation.js';
import { seriesGlob } from '../series-glob.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';
import './rm-status-icon.js';

const ORDER: Record<AlarmState, number> = { CRITICAL: 0, WARNING: 1, NODATA: 2, OK: 3 };

export class RmDashboardAlarms extends LitElement {
  static override properties = { match: { type: String } };
  static override styles = [sharedStyles];

  match = '**';
  private readonly load = new LoadTask<Alarm[] | null>(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('match')) void this.refresh();
  }

  refresh(): Promise<void> {
    const matcher = seriesGlob(this.match);
    return this.load.run(async (signal) => {
      const alarms = await api.alarms(signal);
      return alarms && alarms.filter((a) => matcher?.test(a.series)).sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.series.localeCompare(b.series));
    });
  }

  override render() {
    const alarms = this.load.value;
    if (this.load.status === 'error') return html`<p class="error" role="alert">Could not load the alarms: ${this.load.errorMessage}</p>`;
    if (alarms === undefined) return html`<p class="muted">Loading…</p>`;
    if (alarms === null) return html`<p class="muted">This server has no alarms.</p>`;
    if (alarms.length === 0) return html`<p class="muted">No alarm for ${this.match}.</p>`;
    return html`<table>
      <thead><tr><th>State</th><th>Series</th><th>Value</th><th>Since</th></tr></thead>
      <tbody>
        ${alarms.map(
          (a) => html`<tr data-series=${a.series} data-state=${a.state}>
            <td><rm-status-icon kind=${a.state}></rm-status-icon> ${a.state}</td>
            <td><a href=${itemHref(a.series)}>${a.displayName ? `${a.displayName}: ` : nothing}${a.series}</a></td>
            <td>${formatUnit(a.value, a.unit)}</td>
            <td>${formatTime(a.since)}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }
}

customElements.define('rm-dashboard-alarms', RmDashboardAlarms);

declare global {
  interface HTMLElementTagNameMap {
    'rm-dashboard-alarms': RmDashboardAlarms;
  }
}
