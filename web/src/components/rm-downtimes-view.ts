/**
 * <rm-downtimes-view> — downtimes in effect, coming and over, the form to
 * file one, and ending an open unplanned one.
 */
import { LitElement, html, nothing } from 'lit';
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
  static override properties = { actionError: { state: true } };
  static override styles = [sharedStyles];

  private readonly load = new LoadTask<DowntimeLists>(this);
  private actionError = '';

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

  private async end(e: CustomEvent<{ id: number }>): Promise<void> {
    try {
      this.actionError = '';
      await api.endDowntime(e.detail.id);
    } catch (err) {
      this.actionError = `Could not end downtime #${e.detail.id}: ${errorText(err)}`;
    }
    await this.refresh();
  }

  override render() {
    const lists = this.load.value;
    return html`
      ${this.load.status === 'error' ? html`<p class="error" role="alert">Could not load the downtimes: ${this.load.errorMessage}</p>` : nothing}
      ${this.actionError ? html`<p class="error" role="alert">${this.actionError}</p>` : nothing}
      <section aria-labelledby="active-h" @rm-downtime-end=${this.end}>
        <h2 id="active-h">In effect now</h2>
        <rm-downtime-table id="active" caption="Downtimes in effect now" empty="No downtime is in effect." .items=${lists?.active ?? []}></rm-downtime-table>
        <h2 id="upcoming-h">Upcoming</h2>
        <rm-downtime-table id="upcoming" caption="Upcoming downtimes" empty="Nothing planned." .items=${lists?.upcoming ?? []}></rm-downtime-table>
      </section>
      <section aria-labelledby="file-h" class="panel">
        <h2 id="file-h">File a downtime</h2>
        <rm-downtime-form @rm-downtime-filed=${() => this.refresh()}></rm-downtime-form>
      </section>
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
