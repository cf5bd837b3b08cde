/**
 * <rm-ack-form series="host.web01.disk" state="CRITICAL"> — the small form
 * that acknowledges one alarm: why (required, one line) and for how long
 * (until its state changes, or an expiry). Submitting asks the API (an
 * operator token; the page asks for one when it holds less); the API's
 * problem shows under the form and nothing is recorded. Fires
 * `rm-ack-change` once acknowledged, `rm-ack-cancel` on Cancel.
 */
import { LitElement, css, html, nothing } from 'lit';
import { emit } from '../events.js';
import { errorText } from '../format.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';

declare global {
  interface HTMLElementEventMap {
    'rm-ack-change': CustomEvent<{ series: string }>;
    'rm-ack-cancel': CustomEvent<{ series: string }>;
  }
}

/** The expiries offered, in seconds; 0: until the state changes. */
const EXPIRIES: readonly (readonly [number, string])[] = [
  [0, 'until the state changes'],
  [3600, 'for 1 hour'],
  [4 * 3600, 'for 4 hours'],
  [86_400, 'for 1 day'],
  [7 * 86_400, 'for 1 week'],
];

/** The API's limit on a comment (server/alarms/ack-records.ts MAX_ACK_COMMENT_LENGTH). */
const MAX_COMMENT = 1000;

export class RmAckForm extends LitElement {
  static override properties = {
    series: { type: String },
    state: { type: String },
    problem: { state: true },
    busy: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        align-items: center;
      }
      input[name='comment'] {
        min-width: 18rem;
      }
    `,
  ];

  series = '';
  state = '';
  problem = '';
  busy = false;

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[name="comment"]')?.focus();
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const comment = (form.elements.namedItem('comment') as HTMLInputElement).value;
    const seconds = Number((form.elements.namedItem('expires') as HTMLSelectElement).value);
    this.busy = true;
    this.problem = '';
    try {
      await api.acknowledge(this.series, comment, seconds > 0 ? Math.ceil(Date.now() / 1000) + seconds : undefined);
      emit(this, 'rm-ack-change', { series: this.series });
    } catch (err) {
      this.problem = errorText(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<form @submit=${this.submit} aria-label=${`Acknowledge ${this.series}`}>
      <label>Why <input name="comment" required maxlength=${MAX_COMMENT} placeholder="what is being done about it" /></label>
      <label
        >How long
        <select name="expires">
          ${EXPIRIES.map(([seconds, text]) => html`<option value=${seconds}>${text}</option>`)}
        </select></label
      >
      <button class="primary" type="submit" ?disabled=${this.busy}>Acknowledge</button>
      <button type="button" @click=${() => emit(this, 'rm-ack-cancel', { series: this.series })}>Cancel</button>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
    </form>`;
  }
}

customElements.define('rm-ack-form', RmAckForm);

declare global {
  interface HTMLElementTagNameMap {
    'rm-ack-form': RmAckForm;
  }
}
