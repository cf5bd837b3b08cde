/**
 * <rm-range-picker> — the graph's time range: presets (1 hour … 1 year),
 * a custom from/to, and zooming out, for keyboard users as much as for the
 * mouse's drag-to-zoom. Changes go to the URL through `rm-navigate`.
 */
import { LitElement, css, html, nothing } from 'lit';
import { formatTime, fromLocalInput, toLocalInput, zoneName } from '../format.js';
import { navigate } from '../navigation.js';
import { sharedStyles } from '../styles.js';
import { DEFAULT_RANGE, PRESET_LABELS, RANGE_PRESETS, resolveRange, type TimeRange } from '../time-range.js';

export class RmRangePicker extends LitElement {
  static override properties = {
    range: { attribute: false },
    problem: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em 1em;
        align-items: end;
      }
      fieldset {
        border: none;
        margin: 0;
        padding: 0;
        display: flex;
        gap: 0.3em;
        flex-wrap: wrap;
      }
      legend {
        font-size: 0.85rem;
        color: var(--rm-muted);
        margin-bottom: 0.2em;
      }
      label {
        display: flex;
        flex-direction: column;
        font-size: 0.85rem;
        color: var(--rm-muted);
      }
    `,
  ];

  range: TimeRange = DEFAULT_RANGE;
  private problem = '';

  private applyCustom(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const from = fromLocalInput((form.elements.namedItem('from') as HTMLInputElement).value);
    const to = fromLocalInput((form.elements.namedItem('to') as HTMLInputElement).value);
    if (!Number.isFinite(from) || !Number.isFinite(to)) this.problem = 'Give both a start and an end.';
    else if (to <= from) this.problem = 'The end must be after the start.';
    else {
      this.problem = '';
      navigate(this, { range: { from, to } });
    }
  }

  private zoomOut(): void {
    const { start, end } = resolveRange(this.range, Date.now() / 1000);
    const half = Math.round((end - start) / 2);
    navigate(this, { range: { from: start - half, to: Math.min(Math.floor(Date.now() / 1000), end + half) } });
  }

  override render() {
    const { start, end } = resolveRange(this.range, Date.now() / 1000);
    const preset = 'preset' in this.range ? this.range.preset : null;
    return html`<form @submit=${this.applyCustom} aria-label="Time range">
      <fieldset>
        <legend>Last</legend>
        ${RANGE_PRESETS.map(
          (p) => html`<button type="button" data-preset=${p} aria-pressed=${preset === p ? 'true' : 'false'} @click=${() => navigate(this, { range: { preset: p } })}>${PRESET_LABELS[p]}</button>`,
        )}
      </fieldset>
      <label>From (${zoneName(start * 1000)}) <input name="from" type="datetime-local" .value=${toLocalInput(start)} aria-describedby="range-problem" /></label>
      <label>To (${zoneName(end * 1000)}) <input name="to" type="datetime-local" .value=${toLocalInput(end)} aria-describedby="range-problem" /></label>
      <button type="submit">Show</button>
      <button type="button" @click=${this.zoomOut}>Zoom out</button>
      <span class="muted" aria-live="polite">${preset ? nothing : html`showing ${formatTime(start)} – ${formatTime(end)}`}</span>
      <span id="range-problem" class="error" role=${this.problem ? 'alert' : nothing}>${this.problem}</span>
    </form>`;
  }
}

customElements.define('rm-range-picker', RmRangePicker);

declare global {
  interface HTMLElementTagNameMap {
    'rm-range-picker': RmRangePicker;
  }
}
