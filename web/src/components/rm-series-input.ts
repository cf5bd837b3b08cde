/**
 * <rm-series-input label="…"> — a text input that completes series names
 * (a datalist of every series), for the graph's series and a downtime's
 * scope. `value` is what is typed; `error` is shown under the input and
 * read with it.
 */
import { LitElement, css, html } from 'lit';
import { seriesNames } from '../series-names.js';
import { sharedStyles } from '../styles.js';

let serial = 0;

export class RmSeriesInput extends LitElement {
  static override properties = {
    label: { type: String },
    value: { type: String },
    name: { type: String },
    placeholder: { type: String },
    error: { type: String },
    names: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      label {
        display: flex;
        flex-direction: column;
        gap: 0.2em;
      }
      input {
        min-width: 20em;
      }
      input[aria-invalid='true'] {
        border-color: var(--rm-critical);
      }
    `,
  ];

  label = 'Series';
  value = '';
  name = 'series';
  placeholder = 'host.web01.load or host.web01.*';
  /** A problem with the value (the API's message for this field); empty when none. */
  error = '';
  private names: readonly string[] = [];
  private readonly listId = `series-names-${++serial}`;

  override connectedCallback(): void {
    super.connectedCallback();
    seriesNames().then(
      (names) => {
        this.names = names;
      },
      () => {
        // Without the list the input still takes any name.
      },
    );
  }

  override focus(): void {
    this.renderRoot.querySelector('input')?.focus();
  }

  private onInput(e: Event): void {
    this.value = (e.target as HTMLInputElement).value;
    this.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }

  override render() {
    return html`<label
      >${this.label}
      <input
        type="text"
        name=${this.name}
        list=${this.listId}
        autocomplete="off"
        spellcheck="false"
        placeholder=${this.placeholder}
        .value=${this.value}
        aria-invalid=${this.error ? 'true' : 'false'}
        aria-describedby="problem"
        @input=${this.onInput}
      />
    </label>
    <div id="problem" class="error field-problem">${this.error}</div>
    <datalist id=${this.listId}>${this.names.map((n) => html`<option value=${n}></option>`)}</datalist>`;
  }
}

customElements.define('rm-series-input', RmSeriesInput);

declare global {
  interface HTMLElementTagNameMap {
    'rm-series-input': RmSeriesInput;
  }
}
