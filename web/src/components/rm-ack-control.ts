/**
 * <rm-ack-control .alarm=${alarm}> — acknowledging one alarm where it is
 * shown (the alarms table, the graph's rules panel, an overview row): a
 * bad alarm's Acknowledge button opens <rm-ack-form> in place; an
 * acknowledged one offers Unacknowledge, and `note` says who and why
 * beside it. Fires `rm-ack-change` (bubbling) once either is recorded, so
 * the view around it loads again. An OK alarm shows nothing.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { Alarm } from '../api-types.js';
import { emit } from '../events.js';
import { errorText, formatTime } from '../format.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';
import './rm-ack-form.js';

/** `acknowledged by alice: disk swap booked · until 7 Dec 2026, 10:00` */
export function ackText(a: NonNullable<Alarm['acknowledgement']>): string {
  return `acknowledged by ${a.author}: ${a.comment}${a.until === null ? '' : ` · until ${formatTime(a.until)}`}`;
}

export class RmAckControl extends LitElement {
  static override properties = {
    alarm: { attribute: false },
    note: { type: Boolean },
    open: { state: true },
    problem: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: inline-flex;
        flex-wrap: wrap;
        gap: 0.4em;
        align-items: center;
      }
    `,
  ];

  alarm: Pick<Alarm, 'series' | 'state' | 'acknowledgement'> | undefined;
  /** Say who acknowledged it and why, beside Unacknowledge. */
  note = false;
  /** The acknowledge form is open. */
  private open = false;
  private problem = '';

  private async unack(series: string): Promise<void> {
    try {
      this.problem = '';
      await api.unacknowledge(series);
      emit(this, 'rm-ack-change', { series });
    } catch (err) {
      this.problem = `Could not withdraw the acknowledgement of ${series}: ${errorText(err)}`;
    }
  }

  override render() {
    const a = this.alarm;
    if (!a) return nothing;
    const problem = this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing;
    if (a.acknowledgement) {
      return html`${this.note ? html`<span class="muted ack-note">${ackText(a.acknowledgement)}</span>` : nothing}
        <button type="button" @click=${() => this.unack(a.series)} aria-label=${`Unacknowledge ${a.series}`}>Unacknowledge</button>${problem}`;
    }
    if (a.state === 'OK') return nothing;
    if (this.open) return html`<rm-ack-form series=${a.series} state=${a.state} @rm-ack-change=${() => (this.open = false)} @rm-ack-cancel=${() => (this.open = false)}></rm-ack-form>`;
    return html`<button type="button" @click=${() => (this.open = true)} aria-label=${`Acknowledge ${a.series}`}>Acknowledge</button>`;
  }
}

customElements.define('rm-ack-control', RmAckControl);

declare global {
  interface HTMLElementTagNameMap {
    'rm-ack-control': RmAckControl;
  }
}
