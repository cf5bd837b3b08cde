/**
 * <rm-downtime-table> — a list of downtimes with their window, scope,
 * reason and author; an open unplanned one has a button that ends it now
 * (fires `rm-downtime-end` with its id).
 */
import { LitElement, html, nothing } from 'lit';
import type { ListedDowntime } from '../downtime-lists.js';
import { emit } from '../events.js';
import { formatTime } from '../format.js';
import { sharedStyles } from '../styles.js';

declare global {
  interface HTMLElementEventMap {
    'rm-downtime-end': CustomEvent<{ id: number }>;
  }
}

export class RmDowntimeTable extends LitElement {
  static override properties = {
    items: { attribute: false },
    caption: { type: String },
    empty: { type: String },
  };

  static override styles = [sharedStyles];

  items: readonly ListedDowntime[] = [];
  caption = '';
  empty = 'None.';

  private end(id: number): void {
    emit(this, 'rm-downtime-end', { id });
  }

  override render() {
    if (this.items.length === 0) return html`<p class="muted">${this.empty}</p>`;
    return html`<table>
      <caption class="visually-hidden">${this.caption}</caption>
      <thead>
        <tr><th>#</th><th>Kind</th><th>From</th><th>To</th><th>Repeats</th><th>Scope</th><th>Reason</th><th>Author</th><th><span class="visually-hidden">Actions</span></th></tr>
      </thead>
      <tbody>
        ${this.items.map(
          ({ downtime: d, window: w }) => html`<tr data-id=${d.id}>
            <td>${d.id}</td>
            <td>${d.kind}</td>
            <td>${formatTime(w.start)}</td>
            <td>${w.end === null ? 'open' : formatTime(w.end)}</td>
            <td>${d.rrule ?? ''}${d.rrule ? html` <span class="muted">(${d.timezone})</span>` : nothing}</td>
            <td>${[...d.scope.series, ...d.scope.agents.map((a) => `agent ${a}`)].join(', ')}</td>
            <td>${d.reason}</td>
            <td>${d.author}</td>
            <td>${d.kind === 'unplanned' && d.end === null ? html`<button type="button" @click=${() => this.end(d.id)} aria-label=${`End now: downtime ${d.id}`}>End now</button>` : nothing}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }
}

customElements.define('rm-downtime-table', RmDowntimeTable);

declare global {
  interface HTMLElementTagNameMap {
    'rm-downtime-table': RmDowntimeTable;
  }
}
