/**
 * <rm-series-chips> — the series a graph shows, each with a button that
 * takes it off, and an input (completing names) that adds one, or every
 * series a pattern with `*` matches. Changes go to the URL.
 */
import { LitElement, css, html } from 'lit';
import { errorText } from '../format.js';
import { navigate } from '../navigation.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';
import './rm-series-input.js';
import type { RmSeriesInput } from './rm-series-input.js';

/** The fetch API's most series per request. */
const MAX_SERIES = 100;

export class RmSeriesChips extends LitElement {
  static override properties = {
    series: { attribute: false },
    problem: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      ul {
        list-style: none;
        display: flex;
        flex-wrap: wrap;
        gap: 0.35em;
        padding: 0;
        margin: 0 0 0.6em;
      }
      li {
        display: inline-flex;
        align-items: center;
        gap: 0.2em;
        border: 1px solid var(--rm-border);
        border-radius: 999px;
        padding: 0.1em 0.2em 0.1em 0.7em;
        background: var(--rm-panel);
      }
      li button {
        border: none;
        padding: 0 0.45em;
        border-radius: 999px;
      }
      form {
        display: flex;
        gap: 0.5em;
        align-items: end;
        flex-wrap: wrap;
      }
    `,
  ];

  series: readonly string[] = [];
  private problem = '';

  private async add(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const input = this.renderRoot.querySelector<RmSeriesInput>('rm-series-input');
    const typed = input?.value.trim() ?? '';
    if (!typed) return;
    let names = [typed];
    if (typed.includes('*')) {
      try {
        names = (await api.series(typed)).map((s) => s.series);
      } catch (err) {
        this.problem = errorText(err);
        return;
      }
      if (names.length === 0) {
        this.problem = `No series match ${typed}.`;
        return;
      }
    }
    const next = [...new Set([...this.series, ...names])].slice(0, MAX_SERIES);
    this.problem = next.length < this.series.length + names.length ? `A graph shows at most ${MAX_SERIES} series.` : '';
    if (input) input.value = '';
    navigate(this, { series: next });
  }

  override render() {
    return html`
      <ul aria-label="Series on the graph">
        ${this.series.map(
          (s) => html`<li>
            <span>${s}</span>
            <button type="button" aria-label=${`Remove ${s}`} @click=${() => navigate(this, { series: this.series.filter((x) => x !== s) })}>×</button>
          </li>`,
        )}
      </ul>
      <form @submit=${this.add}>
        <rm-series-input label="Add series (name or pattern)" .error=${this.problem}></rm-series-input>
        <button type="submit">Add</button>
      </form>
    `;
  }
}

customElements.define('rm-series-chips', RmSeriesChips);

declare global {
  interface HTMLElementTagNameMap {
    'rm-series-chips': RmSeriesChips;
  }
}
