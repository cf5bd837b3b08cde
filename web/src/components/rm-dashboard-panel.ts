/**
 * <rm-dashboard-panel> — one panel of a dashboard: its title and what its
 * type shows (graph, value, heatmap, alarm list); while the dashboard is
 * edited, buttons to move or remove it and the form of its fields, which
 * fire `rm-panel-edit`.
 */
import { LitElement, css, html, nothing } from 'lit';
import { panelTitle } from '../dashboard-panels.js';
import type { Panel } from '../dashboard-types.js';
import { emit } from '../events.js';
import { sharedStyles } from '../styles.js';
import './rm-dashboard-alarms.js';
import './rm-dashboard-graph.js';
import './rm-dashboard-panel-form.js';
import './rm-dashboard-value.js';
import './rm-heatmap-view.js';

interface Refreshable extends HTMLElement {
  refresh(): Promise<void>;
}

/** Height of one grid row in px: a graph panel's chart fills its rows less the title. */
export const ROW_PX = 110;

export class RmDashboardPanel extends LitElement {
  static override properties = { panel: { attribute: false }, index: { type: Number }, count: { type: Number }, editing: { type: Boolean } };

  static override styles = [
    sharedStyles,
    css`
      :host {
        min-width: 0;
      }
      section {
        height: 100%;
        box-sizing: border-box;
        overflow: auto;
      }
      h3 {
        font-size: 1rem;
        margin: 0 0 0.4em;
        overflow-wrap: anywhere;
      }
      .tools {
        display: flex;
        gap: 0.4em;
        margin-bottom: 0.4em;
      }
    `,
  ];

  panel: Panel | undefined;
  index = 0;
  count = 1;
  editing = false;

  /** Loads what the panel shows again. */
  async refresh(): Promise<void> {
    await this.renderRoot.querySelector<Refreshable>('[data-content]')?.refresh();
  }

  private renderContent(p: Panel) {
    const title = panelTitle(p);
    switch (p.type) {
      case 'graph':
        return html`<rm-dashboard-graph data-content style="--rm-chart-height:${p.h * ROW_PX - 90}px" .series=${p.series ?? []} range=${p.range ?? '1d'} cf=${p.cf ?? 'AVERAGE'} label="Graph of ${title}"></rm-dashboard-graph>`;
      case 'value':
        return html`<rm-dashboard-value data-content series=${p.series?.[0] ?? ''}></rm-dashboard-value>`;
      case 'heatmap':
        return html`<rm-heatmap-view data-content compact view=${p.view ?? ''} match=${p.match ?? ''} .range=${{ preset: p.range ?? '1w' }}></rm-heatmap-view>`;
      case 'alarms':
        return html`<rm-dashboard-alarms data-content match=${p.match ?? '**'}></rm-dashboard-alarms>`;
      default: {
        const never: never = p.type;
        return never;
      }
    }
  }

  private renderTools() {
    const i = this.index;
    const n = i + 1;
    return html`<div class="tools">
      <button type="button" ?disabled=${i === 0} aria-label="Move panel ${n} earlier" @click=${() => emit(this, 'rm-panel-edit', { index: i, by: -1 })}>←</button>
      <button type="button" ?disabled=${i === this.count - 1} aria-label="Move panel ${n} later" @click=${() => emit(this, 'rm-panel-edit', { index: i, by: 1 })}>→</button>
      <button type="button" aria-label="Remove panel ${n}" @click=${() => emit(this, 'rm-panel-edit', { index: i, remove: true })}>Remove</button>
    </div>`;
  }

  override render() {
    const p = this.panel;
    if (!p) return nothing;
    return html`<section class="panel" data-type=${p.type} aria-label=${panelTitle(p)}>
      <h3>${panelTitle(p)}</h3>
      ${this.editing ? html`${this.renderTools()}<rm-dashboard-panel-form .panel=${p} index=${this.index}></rm-dashboard-panel-form>` : nothing}
      ${this.renderContent(p)}
    </section>`;
  }
}

customElements.define('rm-dashboard-panel', RmDashboardPanel);

declare global {
  interface HTMLElementTagNameMap {
    'rm-dashboard-panel': RmDashboardPanel;
  }
}
