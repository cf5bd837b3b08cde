/**
 * <rm-dashboard-page name="ops"> — one dashboard: its panels in a
 * 12-column grid, and its editor. Editing changes a draft in the page
 * (add, remove, reorder panels, their fields, the title); Save puts it
 * with the version it was loaded at, so a save over someone else's newer
 * one is refused (409) and said, with a way to load theirs. A name with
 * no dashboard yet opens the editor on an empty one.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { HttpError } from '../api-client.js';
import { movePanel, newPanel, removePanel, replacePanel } from '../dashboard-panels.js';
import { GRID_COLUMNS, MAX_PANELS, PANEL_TYPES, type Dashboard, type DashboardDraft, type PanelType } from '../dashboard-types.js';
import { errorText, formatTime } from '../format.js';
import { LoadTask } from '../load-task.js';
import { navigate } from '../navigation.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';
import type { PanelEdit } from './rm-dashboard-panel-form.js';
import { ROW_PX, type RmDashboardPanel } from './rm-dashboard-panel.js';

/** What the page shows of the last save: nothing yet, saved, or why not. */
type SaveNote = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly text: string; readonly conflict: boolean } | null;

export class RmDashboardPage extends LitElement {
  static override properties = { name: { type: String }, newTitle: { attribute: false }, draft: { state: true }, editing: { state: true }, note: { state: true } };

  static override styles = [
    sharedStyles,
    css`
      .bar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.6em;
        align-items: end;
        margin-bottom: 0.8em;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(${GRID_COLUMNS}, minmax(0, 1fr));
        grid-auto-rows: minmax(${ROW_PX}px, auto);
        gap: 0.8em;
      }
      .note {
        min-height: 1.4em;
      }
    `,
  ];

  name = '';
  /** The title a dashboard not stored yet starts with; its name when empty. */
  newTitle = '';
  /** The dashboard as stored when loaded (version 0: not stored yet). */
  private readonly load = new LoadTask<Dashboard>(this);
  /** The edited dashboard; null while not editing. */
  private draft: DashboardDraft | null = null;
  private editing = false;
  private note: SaveNote = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('name')) void this.reload();
  }

  /** Loads the dashboard again, dropping the draft. */
  private reload(): Promise<void> {
    const name = this.name;
    this.draft = null;
    this.editing = false;
    return this.load.run(async (signal) => {
      try {
        return await api.dashboard(name, signal);
      } catch (e) {
        if (!(e instanceof HttpError && e.status === 404)) throw e;
        this.editing = true;
        this.draft = { title: this.newTitle || name, panels: [] };
        return { name, title: name, panels: [], author: '', created: '', updated: '', version: 0 };
      }
    });
  }

  /** The panels' contents again (the page's 30 s refresh); the draft stays. */
  async refresh(): Promise<void> {
    await Promise.all([...this.renderRoot.querySelectorAll<RmDashboardPanel>('rm-dashboard-panel')].map((p) => p.refresh()));
  }

  private get shown(): DashboardDraft | undefined {
    return this.draft ?? this.load.value;
  }

  private startEditing(): void {
    const d = this.load.value;
    if (!d) return;
    this.draft = { title: d.title, panels: d.panels };
    this.editing = true;
    this.note = null;
  }

  private onPanelEdit(e: CustomEvent<PanelEdit>): void {
    const edit = e.detail;
    const draft = this.draft;
    if (!draft) return;
    const panels = 'panel' in edit ? replacePanel(draft.panels, edit.index, edit.panel) : 'by' in edit ? movePanel(draft.panels, edit.index, edit.by) : removePanel(draft.panels, edit.index);
    this.draft = { ...draft, panels };
  }

  private addPanel(): void {
    const type = this.renderRoot.querySelector<HTMLSelectElement>('#new-panel-type')?.value as PanelType;
    if (this.draft) this.draft = { ...this.draft, panels: [...this.draft.panels, newPanel(type)] };
  }

  private async save(): Promise<void> {
    const draft = this.draft;
    const loaded = this.load.value;
    if (!draft || !loaded) return;
    try {
      const saved = await api.saveDashboard(this.name, draft, loaded.version);
      this.load.value = saved;
      this.draft = null;
      this.editing = false;
      this.note = { ok: true, text: `Saved as version ${saved.version}.` };
    } catch (e) {
      const conflict = e instanceof HttpError && e.status === 409;
      const problems = e instanceof HttpError && e.problems.length > 0 ? e.problems.map((p) => `${p.field}: ${p.message}`).join('; ') : errorText(e);
      this.note = { ok: false, conflict, text: conflict ? `Not saved: someone else changed this dashboard since you opened it. ${errorText(e)}` : `Not saved: ${problems}` };
    }
  }

  private async deleteDashboard(): Promise<void> {
    const loaded = this.load.value;
    if (!loaded || !confirm(`Delete the dashboard ${loaded.title}?`)) return;
    try {
      await api.deleteDashboard(this.name, loaded.version);
      navigate(this, { view: 'dashboard', dashboard: undefined });
    } catch (e) {
      this.note = { ok: false, conflict: e instanceof HttpError && e.status === 409, text: `Not deleted: ${errorText(e)}` };
    }
  }

  private renderBar(d: Dashboard) {
    if (!this.editing) {
      return html`<div class="bar">
        <span class="muted">${d.version > 0 ? `Version ${d.version}, saved by ${d.author} on ${formatTime(d.updated)}` : nothing}</span>
        <button type="button" @click=${this.startEditing}>Edit</button>
      </div>`;
    }
    const draft = this.draft as DashboardDraft;
    return html`<div class="bar">
      <label>Title <input id="title" .value=${draft.title} maxlength="120" @change=${(e: Event) => (this.draft = { ...draft, title: (e.target as HTMLInputElement).value })} /></label>
      <label
        >New panel
        <select id="new-panel-type">
          ${PANEL_TYPES.map((t) => html`<option value=${t}>${t}</option>`)}
        </select></label
      >
      <button type="button" ?disabled=${draft.panels.length >= MAX_PANELS} @click=${this.addPanel}>Add panel</button>
      <button type="button" class="primary" @click=${this.save}>Save</button>
      ${d.version > 0 ? html`<button type="button" @click=${() => this.reload()}>Cancel</button><button type="button" @click=${this.deleteDashboard}>Delete</button>` : nothing}
    </div>`;
  }

  override render() {
    const d = this.load.value;
    const shown = this.shown;
    const note = this.note;
    return html`
      ${this.load.status === 'error' ? html`<p class="error" role="alert">Could not load the dashboard ${this.name}: ${this.load.errorMessage}</p>` : nothing}
      ${d && shown
        ? html`<h2 id="dashboard-title">${shown.title}</h2>
            ${this.renderBar(d)}
            <p class="note ${note && !note.ok ? 'error' : ''}" role=${note && !note.ok ? 'alert' : 'status'}>
              ${note?.text ?? nothing}
              ${note && !note.ok && note.conflict ? html`<button type="button" @click=${() => ((this.note = null), this.reload())}>Load their version</button>` : nothing}
            </p>
            ${shown.panels.length === 0 ? html`<p class="muted">No panels yet${this.editing ? ': add one above, or use "Add to dashboard" on a graph' : ''}.</p>` : nothing}
            <div class="grid" @rm-panel-edit=${this.onPanelEdit}>
              ${shown.panels.map(
                (p, i) => html`<rm-dashboard-panel style="grid-column: span ${p.w}; grid-row: span ${p.h}" .panel=${p} index=${i} count=${shown.panels.length} ?editing=${this.editing}></rm-dashboard-panel>`,
              )}
            </div>`
        : this.load.status === 'pending'
          ? html`<p class="muted">Loading…</p>`
          : nothing}
    `;
  }
}

customElements.define('rm-dashboard-page', RmDashboardPage);

declare global {
  interface HTMLElementTagNameMap {
    'rm-dashboard-page': RmDashboardPage;
  }
}
