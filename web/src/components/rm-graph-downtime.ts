/**
 * <rm-graph-downtime .series=${[...]} .selection=${{ from, to }}> — the
 * downtime form for a span selected on a graph (shift+drag, or a drag
 * with "Select for downtime" on): filed for the graph's series over that
 * span, in the browser's time zone, all of it editable before filing.
 * Fires `rm-downtime-filed` (from the form) once stored, `rm-selection-close`
 * on Close.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { valuesOfRange, type FormValues } from '../downtime-form-fields.js';
import { emit } from '../events.js';
import { formatDuration } from '../format.js';
import { sharedStyles } from '../styles.js';
import './rm-downtime-form.js';

declare global {
  interface HTMLElementEventMap {
    'rm-selection-close': CustomEvent<void>;
  }
}

export class RmGraphDowntime extends LitElement {
  static override properties = {
    series: { attribute: false },
    selection: { attribute: false },
    values: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      .head {
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        gap: 1em;
      }
    `,
  ];

  series: readonly string[] = [];
  /** The span selected, in Unix seconds; null: none (nothing is shown). */
  selection: { readonly from: number; readonly to: number } | null = null;
  /** Made once per selection: new values would reset what was typed. */
  private values: FormValues | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('selection') && !changed.has('series')) return;
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    this.values = this.selection ? valuesOfRange(this.series, this.selection.from, this.selection.to, zone) : null;
  }

  protected override updated(changed: PropertyValues<this>): void {
    // A new selection takes the eye to its form.
    if (changed.has('selection') && this.selection) this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  override render() {
    if (!this.selection || !this.values) return nothing;
    return html`<section class="panel" aria-labelledby="selection-h">
      <div class="head">
        <h2 id="selection-h" tabindex="-1">Downtime for these series</h2>
        <button type="button" @click=${() => emit(this, 'rm-selection-close', undefined)}>Close</button>
      </div>
      <p class="muted">The span selected on the graph (${formatDuration(this.selection.to - this.selection.from)}), to the minute; change anything before filing.</p>
      <rm-downtime-form .values=${this.values}></rm-downtime-form>
    </section>`;
  }
}

customElements.define('rm-graph-downtime', RmGraphDowntime);

declare global {
  interface HTMLElementTagNameMap {
    'rm-graph-downtime': RmGraphDowntime;
  }
}
