/**
 * <rm-dashboard-panel-form> — the fields of one panel while its dashboard
 * is edited: title, size, and what its type shows (series, range, CF,
 * heatmap view or pattern, alarm pattern). Each change fires
 * `rm-panel-edit` with the panel as the fields now describe it; the
 * server checks the patterns when the dashboard is saved.
 */
import { LitElement, css, html, nothing } from 'lit';
import { CONSOLIDATION_FUNCTIONS, type ConsolidationFunction } from '../api-types.js';
import { GRID_COLUMNS, MAX_PANEL_HEIGHT, type Panel } from '../dashboard-types.js';
import { emit } from '../events.js';
import { sharedStyles } from '../styles.js';
import { PRESET_LABELS, RANGE_PRESETS, type RangePreset } from '../time-range.js';

/** A change to the panel at `index`: replaced, moved by some places, or removed. */
export type PanelEdit = { readonly index: number } & ({ readonly panel: Panel } | { readonly by: number } | { readonly remove: true });

declare global {
  interface HTMLElementEventMap {
    'rm-panel-edit': CustomEvent<PanelEdit>;
  }
}

export class RmDashboardPanelForm extends LitElement {
  static override properties = { panel: { attribute: false }, index: { type: Number } };

  static override styles = [
    sharedStyles,
    css`
      form {
        font-size: 0.85rem;
      }
      textarea {
        min-width: 16em;
      }
    `,
  ];

  panel: Panel | undefined;
  index = 0;

  /** The panel as the form's fields describe it, with only the fields of its type. */
  private read(form: HTMLFormElement): Panel {
    const p = this.panel as Panel;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const title = text('title');
    const base = { type: p.type, w: Number(text('w')), h: Number(text('h')), ...(title ? { title } : {}) };
    const series = text('series').split(/[\s,]+/).filter((s) => s !== '');
    switch (p.type) {
      case 'graph': {
        const cf = text('cf') as ConsolidationFunction;
        return { ...base, series, range: text('range') as RangePreset, ...(cf === 'AVERAGE' ? {} : { cf }) };
      }
      case 'value':
        return { ...base, series };
      case 'heatmap': {
        const view = text('view');
        return { ...base, range: text('range') as RangePreset, ...(view ? { view } : { match: text('match') }) };
      }
      case 'alarms':
        return { ...base, match: text('match') };
      default: {
        const never: never = p.type;
        return never;
      }
    }
  }

  private onChange(e: Event): void {
    emit(this, 'rm-panel-edit', { index: this.index, panel: this.read(e.currentTarget as HTMLFormElement) });
  }

  override render() {
    const p = this.panel;
    if (!p) return nothing;
    const n = this.index + 1;
    return html`<form class="inline" @change=${this.onChange} @submit=${(e: Event) => e.preventDefault()} aria-label="Panel ${n} settings">
      <label>Title <input name="title" .value=${p.title ?? ''} maxlength="120" placeholder="(what it shows)" /></label>
      <label>Width <input name="w" type="number" min="1" max=${GRID_COLUMNS} .value=${String(p.w)} /></label>
      <label>Height <input name="h" type="number" min="1" max=${MAX_PANEL_HEIGHT} .value=${String(p.h)} /></label>
      ${p.type === 'graph' || p.type === 'value'
        ? html`<label>${p.type === 'value' ? 'Series' : 'Series (names or patterns, one a line)'} <textarea name="series" rows=${p.type === 'value' ? 1 : 3}>${(p.series ?? []).join('\n')}</textarea></label>`
        : nothing}
      ${p.type === 'graph' || p.type === 'heatmap'
        ? html`<label
            >Range
            <select name="range">
              ${RANGE_PRESETS.map((r) => html`<option value=${r} ?selected=${r === (p.range ?? '1d')}>${PRESET_LABELS[r]}</option>`)}
            </select></label
          >`
        : nothing}
      ${p.type === 'graph'
        ? html`<label
            >Consolidation
            <select name="cf">
              ${CONSOLIDATION_FUNCTIONS.map((c) => html`<option ?selected=${c === (p.cf ?? 'AVERAGE')}>${c}</option>`)}
            </select></label
          >`
        : nothing}
      ${p.type === 'heatmap' ? html`<label>Heatmap view <input name="view" .value=${p.view ?? ''} maxlength="64" placeholder="(none: a pattern)" /></label>` : nothing}
      ${p.type === 'heatmap' || p.type === 'alarms' ? html`<label>Series pattern <input name="match" .value=${p.match ?? ''} maxlength="1024" /></label>` : nothing}
    </form>`;
  }
}

customElements.define('rm-dashboard-panel-form', RmDashboardPanelForm);

declare global {
  interface HTMLElementTagNameMap {
    'rm-dashboard-panel-form': RmDashboardPanelForm;
  }
}
