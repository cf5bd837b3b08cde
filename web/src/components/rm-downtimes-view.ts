/**
 * <rm-downtimes-view> — downtimes in effect, coming and over, the form to
 * file one; from a row, editing it (the form, prefilled, in place of the
 * filing one), cancelling it and ending it now. What the API refuses is
 * said above the lists.
 */
import { LitElement, html, nothing } from 'lit';
import type { Downtime } from '../api-types.js';
import { valuesOfDowntime, type FormValues } from '../downtime-form-fields.js';
import { sortDowntimes, type DowntimeLists } from '../downtime-lists.js';
import { errorText } from '../format.js';
import { LoadTask } from '../load-task.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';
import './rm-downtime-form.js';
import './rm-downtime-table.js';

/** How far ahead "upcoming" looks for the next window of a recurring downtime. */
const AHEAD_SECONDS = 90 * 86_400;

export class RmDowntimesView extends LitElement {
  static override properties = { actionError: { state: true }, editing: { state: true } };
  static override styles = [sharedStyles];

  private readonly load = new LoadTask<DowntimeLists>(this);
  private actionError = '';
  /** The downtime being edited, with the form's values made once (new values would reset the form). */
  private editing: { readonly id: number; readonly values: FormValues } | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  refresh(): Promise<void> {
    return this.load.run(async (signal) => {
      const now = Math.floor(Date.now() / 1000);
      const [all, active, ahead] = await Promise.all([
        api.downtimes({}, signal),
        api.downtimes({ active: true }, signal),
        api.downtimes({ from: now, to: now + AHEAD_SECONDS }, signal),
      ]);
      return sortDowntimes(all, active, ahead, Date.now() / 1000);
    });
  }

  /** Runs a row's action; what the API refuses is said, and the lists are read again either way. */
  private async act(verb: string, id: number, call: (id: number) => Promise<Downtime>): Promise<void> {
    try {
      this.actionError = '';
      await call(id);
    } catch (err) {
      this.actionError = `Could not ${verb} downtime #${id}: ${errorText(err)}`;
    }
    await this.refresh();
  }

  private async edit(e: CustomEvent<{ id: number }>): Promise<void> {
    const lists = this.load.value;
    const listed = [...(lists?.active ?? []), ...(lists?.upcoming ?? [])].find((l) => l.downtime.id === e.detail.id);
    if (!listed) return;
    this.editing = { id: listed.downtime.id, values: valuesOfDowntime(listed.downtime) };
    await this.updateComplete;
    // Keyboard and screen reader users land on the form they opened.
    const heading = this.renderRoot.querySelector<HTMLElement>('#edit-h');
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus();
  }

  private saved(): void {
    this.editing = null;
    void this.refresh();
  }

  override render() {
    const lists = this.load.value;
    return html`
      ${this.load.status === 'error' ? html`<p class="error" role="alert">Could not load the downtimes: ${this.load.errorMessage}</p>` : nothing}
      ${this.actionError ? html`<p class="error" role="alert">${this.actionError}</p>` : nothing}
      <section
        aria-labelledby="active-h"
        @rm-downtime-end=${(e: CustomEvent<{ id: number }>) => this.act('end', e.detail.id, (id) => api.endDowntime(id))}
        @rm-downtime-cancel=${(e: CustomEvent<{ id: number }>) => this.act('cancel', e.detail.id, (id) => api.cancelDowntime(id))}
        @rm-downtime-edit=${this.edit}
      >
        <h2 id="active-h">In effect now</h2>
        <rm-downtime-table id="active" caption="Downtimes in effect now" empty="No downtime is in effect." .items=${lists?.active ?? []}></rm-downtime-table>
        <h2 id="upcoming-h">Upcoming</h2>
        <rm-downtime-table id="upcoming" caption="Upcoming downtimes" empty="Nothing planned." .items=${lists?.upcoming ?? []}></rm-downtime-table>
      </section>
      ${this.editing
        ? html`<section aria-labelledby="edit-h" class="panel" id="edit">
            <h2 id="edit-h" tabindex="-1">Edit downtime #${this.editing.id}</h2>
            <rm-downtime-form .values=${this.editing.values} .editing=${this.editing.id} @rm-downtime-filed=${this.saved}></rm-downtime-form>
            <button type="button" @click=${() => (this.editing = null)}>Stop editing</button>
          </section>`
        : html`<section aria-labelledby="file-h" class="panel">
            <h2 id="file-h">File a downtime</h2>
            <rm-downtime-form @rm-downtime-filed=${() => this.refresh()}></rm-downtime-form>
          </section>`}
      <section aria-labelledby="past-h">
        <h2 id="past-h">Past</h2>
        <rm-downtime-table id="past" caption="Past downtimes" empty="None yet." .items=${lists?.past ?? []}></rm-downtime-table>
      </section>
    `;
  }
}

customElements.define('rm-downtimes-view', RmDowntimesView);

declare global {
  interface HTMLElementTagNameMap {
    'rm-downtimes-view': RmDowntimesView;
  }
}
