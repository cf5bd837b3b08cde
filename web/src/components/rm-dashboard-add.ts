/**
 * <rm-dashboard-add> — "Add to dashboard" on the graph view: the graph as
 * it is shown (series, range, CF) becomes a graph panel at the end of a
 * saved dashboard, or of a new one. The dashboard is read and saved with
 * its version, so an edit someone made meanwhile is kept (or the 409 said).
 */
import { LitElement, html, nothing } from 'lit';
import type { ConsolidationFunction } from '../api-types.js';
import { HttpError } from '../api-client.js';
import { DASHBOARD_NAME, graphPanel, nameFromTitle } from '../dashboard-panels.js';
import type { Dashboard, DashboardSummary } from '../dashboard-types.js';
import { errorText } from '../format.js';
import { hrefFor } from '../navigation.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';
import type { TimeRange } from '../time-range.js';
import { DEFAULT_STATE } from '../url-state.js';

const NEW = '';

export class RmDashboardAdd extends LitElement {
  static override properties = { series: { attribute: false }, range: { attribute: false }, cf: { type: String }, open: { state: true }, list: { state: true }, outcome: { state: true } };

  static override styles = [sharedStyles];

  series: readonly string[] = [];
  range: TimeRange = { preset: '1d' };
  cf: ConsolidationFunction = 'AVERAGE';
  private open = false;
  private list: DashboardSummary[] | null = null;
  private outcome: { readonly ok: boolean; readonly text: string; readonly name?: string } | null = null;

  private async show(): Promise<void> {
    this.open = true;
    this.outcome = null;
    try {
      this.list = await api.dashboards();
    } catch (e) {
      this.outcome = { ok: false, text: `Could not list the dashboards: ${errorText(e)}` };
    }
  }

  private async add(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const chosen = String(data.get('dashboard') ?? NEW);
    const title = String(data.get('title') ?? '').trim();
    const name = chosen || nameFromTitle(title);
    if (!DASHBOARD_NAME.test(name)) {
      this.outcome = { ok: false, text: 'Give the new dashboard a title with letters or digits.' };
      return;
    }
    const panel = graphPanel(this.series, this.range, this.cf);
    try {
      const current: Pick<Dashboard, 'title' | 'panels' | 'version'> = chosen ? await api.dashboard(name) : { title, panels: [], version: 0 };
      const saved = await api.saveDashboard(name, { title: current.title, panels: [...current.panels, panel] }, current.version);
      this.outcome = { ok: true, text: `Added to ${saved.title} (version ${saved.version}).`, name };
      this.open = false;
    } catch (err) {
      const conflict = err instanceof HttpError && err.status === 409;
      this.outcome = { ok: false, text: `Not added: ${conflict && !chosen ? `there is a dashboard named ${name} already; choose it in the list.` : errorText(err)}` };
    }
  }

  override render() {
    const outcome = this.outcome;
    return html`
      ${this.open
        ? html`<form class="inline" @submit=${this.add} aria-label="Add this graph to a dashboard">
            <label
              >Dashboard
              <select name="dashboard">
                ${(this.list ?? []).map((d) => html`<option value=${d.name}>${d.title}</option>`)}
                <option value=${NEW}>New dashboard…</option>
              </select></label
            >
            <label>New dashboard's title <input name="title" maxlength="120" /></label>
            <button type="submit" class="primary">Add graph</button>
            <button type="button" @click=${() => (this.open = false)}>Cancel</button>
          </form>`
        : html`<button type="button" ?disabled=${this.series.length === 0} @click=${this.show}>Add to dashboard</button>`}
      ${outcome
        ? html`<p class=${outcome.ok ? '' : 'error'} role=${outcome.ok ? 'status' : 'alert'}>
            ${outcome.text} ${outcome.name ? html`<a href=${hrefFor({ ...DEFAULT_STATE, view: 'dashboard', dashboard: outcome.name })}>Open it</a>` : nothing}
          </p>`
        : nothing}
    `;
  }
}

customElements.define('rm-dashboard-add', RmDashboardAdd);

declare global {
  interface HTMLElementTagNameMap {
    'rm-dashboard-add': RmDashboardAdd;
  }
}
