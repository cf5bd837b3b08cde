/**
 * <rm-dashboard-value> — a value panel: one series' last value with its
 * unit, on the colour of its alarm state (OK, WARNING, CRITICAL, NODATA;
 * neutral when no rule watches it), and how old the value is.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { Alarm, SeriesInfo } from '../api-types.js';
import { formatAge } from '../format.js';
import { formatLastValue } from '../units.js';
import { LoadTask } from '../load-task.js';
import { graphHref } from '../navigation.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';

export class RmDashboardValue extends LitElement {
  static override properties = { series: { type: String } };

  static override styles = [
    sharedStyles,
    css`
      .value {
        display: block;
        padding: 0.4em 0.6em;
        border-radius: 4px;
        border-left: 0.5em solid var(--state, var(--rm-border, #d5d9e0));
        background: color-mix(in srgb, var(--state, #fff) 12%, #fff);
        text-decoration: none;
        color: inherit;
      }
      .number {
        font-size: 1.8rem;
        font-weight: 700;
      }
      .unit {
        font-size: 1rem;
        margin-left: 0.25em;
      }
    `,
  ];

  series = '';
  private readonly load = new LoadTask<{ info: SeriesInfo | undefined; alarm: Alarm | undefined }>(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('series')) void this.refresh();
  }

  refresh(): Promise<void> {
    const series = this.series;
    return this.load.run(async (signal) => {
      const [listed, alarms] = await Promise.all([api.series(series, signal), api.alarms(signal)]);
      return { info: listed.find((s) => s.series === series), alarm: alarms?.find((a) => a.series === series) };
    });
  }

  override render() {
    const data = this.load.value;
    if (this.load.status === 'error') return html`<p class="error" role="alert">Could not load ${this.series}: ${this.load.errorMessage}</p>`;
    if (!data) return html`<p class="muted">Loading…</p>`;
    if (!data.info) return html`<p class="muted">No series ${this.series}.</p>`;
    const state = data.alarm?.state;
    const unit = data.info.unit ?? data.alarm?.unit;
    return html`<a class="value" href=${graphHref([this.series])} data-state=${state ?? 'none'} style=${state ? `--state: var(--rm-${state.toLowerCase()})` : ''}>
      <span class="number">${formatLastValue(data.info.lastValue, unit, data.info.definition.dataSources[0]?.type)}</span>
      <span class="visually-hidden">, </span><br /><span class="state">${state ?? 'no alarm rule'}</span>
      <span class="muted"> · ${formatAge(data.info.lastUpdate, Date.now() / 1000)}</span>
    </a>`;
  }
}

customElements.define('rm-dashboard-value', RmDashboardValue);

declare global {
  interface HTMLElementTagNameMap {
    'rm-dashboard-value': RmDashboardValue;
  }
}
