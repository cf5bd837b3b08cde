/**
 * <rm-state-counts> — how many series are in each state, as toggle buttons
 * that narrow the overview to those states. Fires `rm-states-change`.
 */
import { LitElement, css, html } from 'lit';
import { emit } from '../events.js';
import { STATUS_KINDS, type StatusKind } from '../series-status.js';
import { sharedStyles } from '../styles.js';
import { STATUS_LABELS } from './rm-status-icon.js';
import './rm-status-icon.js';

declare global {
  interface HTMLElementEventMap {
    'rm-states-change': CustomEvent<{ states: StatusKind[] }>;
  }
}

export class RmStateCounts extends LitElement {
  static override properties = {
    counts: { attribute: false },
    selected: { attribute: false },
  };

  static override styles = [
    sharedStyles,
    css`
      ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4em;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      button {
        display: inline-flex;
        align-items: center;
        gap: 0.35em;
      }
      .n {
        font-variant-numeric: tabular-nums;
        font-weight: 600;
      }
    `,
  ];

  counts: Record<StatusKind, number> = { CRITICAL: 0, WARNING: 0, NODATA: 0, DOWNTIME: 0, OK: 0 };
  selected: readonly StatusKind[] = [];

  private toggle(kind: StatusKind): void {
    const states = this.selected.includes(kind) ? this.selected.filter((k) => k !== kind) : [...this.selected, kind];
    emit(this, 'rm-states-change', { states });
  }

  override render() {
    return html`<ul aria-label="Series per state; press to show only those">
      ${STATUS_KINDS.map(
        (kind) => html`<li>
          <button type="button" data-kind=${kind} aria-pressed=${this.selected.includes(kind) ? 'true' : 'false'} @click=${() => this.toggle(kind)}>
            <rm-status-icon kind=${kind} aria-hidden="true"></rm-status-icon>
            <span>${STATUS_LABELS[kind]}</span>
            <span class="n">${this.counts[kind]}</span>
          </button>
        </li>`,
      )}
    </ul>`;
  }
}

customElements.define('rm-state-counts', RmStateCounts);

declare global {
  interface HTMLElementTagNameMap {
    'rm-state-counts': RmStateCounts;
  }
}
