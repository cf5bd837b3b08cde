/**
 * <rm-downtime-table> — a list of downtimes with their window, scope,
 * reason and author; a recurring one says its rule in words and its next
 * window. Each row offers what fits it now (downtime-lists.ts actionsOf):
 * Edit (fires `rm-downtime-edit`), End now (`rm-downtime-end`) and Cancel,
 * which asks to confirm in the row first (`rm-downtime-cancel`), all with
 * the downtime's id.
 */
import { LitElement, css, html, nothing } from 'lit';
import { actionsOf, type ListedDowntime } from '../downtime-lists.js';
import { emit } from '../events.js';
import { formatTime } from '../format.js';
import { describeRecurrence } from '../recurrence-text.js';
import { sharedStyles } from '../styles.js';

declare global {
  interface HTMLElementEventMap {
    'rm-downtime-end': CustomEvent<{ id: number }>;
    'rm-downtime-edit': CustomEvent<{ id: number }>;
    'rm-downtime-cancel': CustomEvent<{ id: number }>;
  }
}

export class RmDowntimeTable extends LitElement {
  static override properties = {
    items: { attribute: false },
    caption: { type: String },
    empty: { type: String },
    confirming: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      .row-actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3em;
        align-items: center;
      }
    `,
  ];

  items: readonly ListedDowntime[] = [];
  caption = '';
  empty = 'None.';
  /** The downtime whose Cancel waits for a confirmation. */
  private confirming: number | null = null;

  private renderRepeats({ downtime: d, next }: ListedDowntime) {
    if (d.rrule === null) return nothing;
    return html`<span class="rule" title=${d.rrule}>${describeRecurrence({ ...d, rrule: d.rrule })}</span>${next ? html`<div class="muted next">next: ${formatTime(next.start)}</div>` : nothing}`;
  }

  private renderActions(item: ListedDowntime) {
    const id = item.downtime.id;
    if (this.confirming === id) {
      return html`<span class="row-actions" role="group" aria-label=${`Cancel downtime ${id}?`}>
        Cancel it?
        <button type="button" @click=${() => ((this.confirming = null), emit(this, 'rm-downtime-cancel', { id }))}>Yes, cancel downtime #${id}</button>
        <button type="button" @click=${() => (this.confirming = null)}>Keep it</button>
      </span>`;
    }
    const buttons = {
      edit: html`<button type="button" @click=${() => emit(this, 'rm-downtime-edit', { id })} aria-label=${`Edit downtime ${id}`}>Edit</button>`,
      end: html`<button type="button" @click=${() => emit(this, 'rm-downtime-end', { id })} aria-label=${`End now: downtime ${id}`}>End now</button>`,
      cancel: html`<button type="button" @click=${() => (this.confirming = id)} aria-label=${`Cancel downtime ${id}`}>Cancel…</button>`,
    };
    return html`<span class="row-actions">${actionsOf(item, Date.now() / 1000).map((a) => buttons[a])}</span>`;
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
          (item) => html`<tr data-id=${item.downtime.id}>
            <td>${item.downtime.id}</td>
            <td>${item.downtime.kind}</td>
            <td>${formatTime(item.window.start)}</td>
            <td>${item.window.end === null ? 'open' : formatTime(item.window.end)}</td>
            <td>${this.renderRepeats(item)}</td>
            <td>${[...item.downtime.scope.series, ...item.downtime.scope.agents.map((a) => `agent ${a}`)].join(', ')}</td>
            <td>${item.downtime.reason}</td>
            <td>${item.downtime.author}</td>
            <td>${this.renderActions(item)}</td>
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
