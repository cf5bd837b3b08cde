/**
 * <rm-dashboards-view> — the Dashboards view: with `dashboard` (the URL's
 * `d`), that dashboard (<rm-dashboard-page>); without, the list of saved
 * dashboards with their authors and when they changed, and a form that
 * starts a new one.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { DASHBOARD_NAME, nameFromTitle } from '../dashboard-panels.js';
import type { DashboardSummary } from '../dashboard-types.js';
import { formatTime } from '../format.js';
import { LoadTask } from '../load-task.js';
import { hrefFor, navigate } from '../navigation.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';
import { DEFAULT_STATE } from '../url-state.js';
import './rm-dashboard-page.js';

const dashboardHref = (name: string) => hrefFor({ ...DEFAULT_STATE, view: 'dashboard', dashboard: name });

export class RmDashboardsView extends LitElement {
  static override properties = { dashboard: { type: String }, problem: { state: true }, newTitle: { state: true } };
  static override styles = [sharedStyles];

  dashboard = '';
  private problem = '';
  /** The title typed for a new dashboard, for its page to start with. */
  private newTitle = '';
  private readonly load = new LoadTask<DashboardSummary[]>(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('dashboard') && !this.dashboard) void this.refresh();
  }

  async refresh(): Promise<void> {
    if (this.dashboard) return this.renderRoot.querySelector('rm-dashboard-page')?.refresh();
    return this.load.run((signal) => api.dashboards(signal));
  }

  private create(e: Event): void {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const title = String(data.get('title') ?? '').trim();
    const name = String(data.get('name') ?? '').trim() || nameFromTitle(title);
    if (!DASHBOARD_NAME.test(name)) {
      this.problem = 'A name is 1 to 64 lower-case letters, digits, _ and -, starting with a letter or digit.';
      return;
    }
    if (this.load.value?.some((d) => d.name === name)) {
      this.problem = `There is a dashboard named ${name} already.`;
      return;
    }
    this.problem = '';
    this.newTitle = title;
    navigate(this, { view: 'dashboard', dashboard: name });
  }

  override render() {
    if (this.dashboard) return html`<rm-dashboard-page name=${this.dashboard} .newTitle=${this.newTitle}></rm-dashboard-page>`;
    const list = this.load.value;
    return html`
      ${this.load.status === 'error' ? html`<p class="error" role="alert">Could not list the dashboards: ${this.load.errorMessage}</p>` : nothing}
      ${list && list.length === 0 ? html`<p class="muted">No dashboards yet: start one below, or use "Add to dashboard" on a graph.</p>` : nothing}
      ${list && list.length > 0
        ? html`<table id="dashboards">
            <thead><tr><th>Dashboard</th><th>Panels</th><th>Saved by</th><th>Updated</th></tr></thead>
            <tbody>
              ${list.map((d) => html`<tr data-name=${d.name}><td><a href=${dashboardHref(d.name)}>${d.title}</a></td><td>${d.panelCount}</td><td>${d.author}</td><td>${formatTime(d.updated)}</td></tr>`)}
            </tbody>
          </table>`
        : nothing}
      <h2>New dashboard</h2>
      <form class="panel inline" @submit=${this.create}>
        <label>Title <input name="title" required maxlength="120" /></label>
        <label>Name in the URL <input name="name" maxlength="64" pattern="[a-z0-9][a-z0-9_\\-]*" placeholder="(from the title)" /></label>
        <button type="submit" class="primary">Start</button>
        ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      </form>
    `;
  }
}

customElements.define('rm-dashboards-view', RmDashboardsView);

declare global {
  interface HTMLElementTagNameMap {
    'rm-dashboards-view': RmDashboardsView;
  }
}
