/**
 * <rm-downtime-form> — files a downtime: scope (series patterns, names
 * completed), from/to in a time zone, reason, kind and recurrence. The
 * API checks it; each problem it names is shown next to its field and the
 * first such field gets the focus. Fires `rm-downtime-filed` with the
 * stored downtime. `values` starts the form from given values (a range
 * selected on a graph); with `editing` (a downtime's id) as well, it edits
 * that downtime and saves what changed (PATCH).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { HttpError } from '../api-client.js';
import type { Downtime, DowntimeKind } from '../api-types.js';
import { changesOf, draftOf, FORM_FIELDS, sortProblems, type FieldProblems, type FormField, type FormValues } from '../downtime-form-fields.js';
import { emit } from '../events.js';
import { errorText } from '../format.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';
import './rm-series-input.js';
import type { RmSeriesInput } from './rm-series-input.js';

declare global {
  interface HTMLElementEventMap {
    'rm-downtime-filed': CustomEvent<{ downtime: Downtime }>;
  }
}

const RECURRENCES = [
  { value: '', label: 'Once' },
  { value: 'FREQ=DAILY', label: 'Every day' },
  { value: 'FREQ=WEEKLY', label: 'Every week' },
  { value: 'FREQ=MONTHLY', label: 'Every month' },
  { value: 'custom', label: 'Custom rule (RRULE)…' },
] as const;

const NO_PROBLEMS: FieldProblems = { byField: {}, other: [] };

/** The choice of the Repeats list that shows `rrule`: a preset, or the custom rule. */
const recurrenceOf = (rrule: string): string => (RECURRENCES.some((r) => r.value === rrule) ? rrule : 'custom');

export class RmDowntimeForm extends LitElement {
  static override properties = {
    values: { attribute: false },
    editing: { type: Number },
    kind: { state: true },
    recurrence: { state: true },
    problems: { state: true },
    busy: { state: true },
    done: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      form {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(16em, 1fr));
        gap: 0.8em 1.2em;
        align-items: start;
      }
      .wide {
        grid-column: 1 / -1;
      }
      .field,
      fieldset {
        display: flex;
        flex-direction: column;
        gap: 0.2em;
      }
      fieldset {
        border: none;
        padding: 0;
        margin: 0;
      }
      fieldset label {
        flex-direction: row;
        gap: 0.4em;
      }
      [aria-invalid='true'] {
        border-color: var(--rm-critical);
      }
      .field-problem {
        font-size: 0.9rem;
        min-height: 1em;
      }
      .actions {
        display: flex;
        gap: 0.8em;
        align-items: center;
      }
    `,
  ];

  /** The values the form starts from (and goes back to on reset); null: empty, the page's zone. */
  values: FormValues | null = null;
  /** The id of the downtime being edited; null: filing a new one. */
  editing: number | null = null;
  private kind: DowntimeKind = 'planned';
  private recurrence = '';
  private problems: FieldProblems = NO_PROBLEMS;
  private busy = false;
  private done = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('values')) return;
    this.kind = this.values?.kind ?? 'planned';
    this.recurrence = recurrenceOf(this.values?.rrule ?? '');
    this.problems = NO_PROBLEMS;
    this.done = '';
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Other values are other defaults: what was typed for the last ones goes.
    if (!changed.has('values') || changed.get('values') === undefined) return;
    this.renderRoot.querySelector('form')?.reset();
    const scope = this.renderRoot.querySelector<RmSeriesInput>('rm-series-input');
    if (scope) scope.value = this.values?.scope ?? '';
  }

  /** The value of the form control named `name`; empty when it is not on the page. */
  private fieldValue(name: string): string {
    return this.renderRoot.querySelector<HTMLInputElement>(`[name="${name}"]`)?.value ?? '';
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    // Taken now: once the event is dispatched, a target inside a shadow root is cleared.
    const form = e.target as HTMLFormElement;
    const scope = this.renderRoot.querySelector<RmSeriesInput>('rm-series-input');
    const rrule = this.recurrence === 'custom' ? this.fieldValue('rrule') : this.recurrence;
    const values: FormValues = {
      kind: this.kind,
      scope: scope?.value ?? '',
      start: this.fieldValue('start'),
      end: this.fieldValue('end'),
      rrule,
      timezone: this.fieldValue('timezone'),
      reason: this.fieldValue('reason'),
    };
    const editing = this.editing !== null && this.values !== null ? this.editing : null;
    const changes = editing === null ? null : changesOf(this.values ?? values, values);
    if (changes && Object.keys(changes).length === 0) {
      this.done = 'Nothing to save: no field was changed.';
      return;
    }
    this.busy = true;
    this.done = '';
    try {
      const downtime = editing === null || !changes ? await api.createDowntime(draftOf(values)) : await api.updateDowntime(editing, changes);
      this.problems = NO_PROBLEMS;
      this.done = editing === null ? `Filed downtime #${downtime.id}.` : `Saved downtime #${downtime.id}.`;
      if (editing === null) {
        // Defaults are attributes (not properties) so that reset brings them back.
        form.reset();
        if (scope) scope.value = this.values?.scope ?? '';
        this.recurrence = recurrenceOf(this.values?.rrule ?? '');
        this.kind = this.values?.kind ?? 'planned';
      }
      emit(this, 'rm-downtime-filed', { downtime });
    } catch (err) {
      this.problems = err instanceof HttpError && err.problems.length > 0 ? sortProblems(err.problems) : { byField: {}, other: [errorText(err)] };
      await this.updateComplete;
      this.focusFirstProblem();
    } finally {
      this.busy = false;
    }
  }

  private focusFirstProblem(): void {
    const first = FORM_FIELDS.find((f) => this.problems.byField[f] !== undefined);
    if (first === 'scope') this.renderRoot.querySelector<RmSeriesInput>('rm-series-input')?.focus();
    else if (first) this.renderRoot.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
    else this.renderRoot.querySelector<HTMLElement>('#form-problems')?.focus();
  }

  /** The message element of a field, and the attributes tying the field to it. */
  private problemOf(field: FormField) {
    const message = this.problems.byField[field] ?? '';
    return { message, invalid: message ? 'true' : 'false', id: `problem-${field}` };
  }

  private renderProblem(field: FormField) {
    const p = this.problemOf(field);
    return html`<span id=${p.id} class="error field-problem" data-problem=${field}>${p.message}</span>`;
  }

  override render() {
    const v = this.values;
    const zone = v?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    const start = this.problemOf('start');
    const end = this.problemOf('end');
    const reason = this.problemOf('reason');
    const timezone = this.problemOf('timezone');
    const recurrence = this.problemOf('recurrence');
    return html`<form @submit=${this.submit} novalidate aria-label=${this.editing === null ? 'File a downtime' : `Edit downtime ${this.editing}`}>
      <div class="wide" id="form-problems" tabindex="-1" role=${this.problems.other.length ? 'alert' : nothing}>
        ${this.problems.other.map((m) => html`<p class="error">${m}</p>`)}
      </div>
      <fieldset data-field="kind" tabindex="-1">
        <legend>Kind</legend>
        <label><input type="radio" name="kind" value="planned" ?checked=${this.kind === 'planned'} @change=${() => (this.kind = 'planned')} /> Planned (silences alarms)</label>
        <label><input type="radio" name="kind" value="unplanned" ?checked=${this.kind === 'unplanned'} @change=${() => (this.kind = 'unplanned')} /> Unplanned (explains graphs)</label>
        ${this.renderProblem('kind')}
      </fieldset>
      <div class="wide">
        <rm-series-input name="scope" label="Scope: series or patterns, separated by commas" .value=${v?.scope ?? ''} .error=${this.problems.byField.scope ?? ''}></rm-series-input>
      </div>
      <div class="field">
        <label for="f-start">From</label>
        <input id="f-start" name="start" data-field="start" type="datetime-local" value=${v?.start ?? ''} aria-invalid=${start.invalid} aria-describedby=${`start-hint ${start.id}`} />
        <span id="start-hint" class="muted">empty: now</span>
        ${this.renderProblem('start')}
      </div>
      <div class="field">
        <label for="f-end">To</label>
        <input id="f-end" name="end" data-field="end" type="datetime-local" value=${v?.end ?? ''} aria-invalid=${end.invalid} aria-describedby=${`end-hint ${end.id}`} />
        <span id="end-hint" class="muted">${this.kind === 'unplanned' ? 'empty: open until ended' : ''}</span>
        ${this.renderProblem('end')}
      </div>
      <div class="field">
        <label for="f-timezone">Time zone</label>
        <input id="f-timezone" name="timezone" data-field="timezone" type="text" value=${zone} aria-invalid=${timezone.invalid} aria-describedby=${timezone.id} />
        ${this.renderProblem('timezone')}
      </div>
      <div class="field">
        <label for="f-recurrence">Repeats</label>
        <select id="f-recurrence" name="recurrence" data-field="recurrence" aria-invalid=${recurrence.invalid} aria-describedby=${recurrence.id} @change=${(e: Event) => (this.recurrence = (e.target as HTMLSelectElement).value)}>
          ${RECURRENCES.map((r) => html`<option value=${r.value} ?selected=${r.value === this.recurrence}>${r.label}</option>`)}
        </select>
        ${this.recurrence === 'custom'
          ? html`<input name="rrule" type="text" value=${v?.rrule ?? ''} aria-label="Recurrence rule" placeholder="FREQ=WEEKLY;BYDAY=TU" aria-invalid=${recurrence.invalid} aria-describedby=${recurrence.id} />`
          : nothing}
        ${this.renderProblem('recurrence')}
      </div>
      <div class="field wide">
        <label for="f-reason">Reason</label>
        <textarea id="f-reason" name="reason" data-field="reason" rows="2" .defaultValue=${v?.reason ?? ''} aria-invalid=${reason.invalid} aria-describedby=${reason.id}></textarea>
        ${this.renderProblem('reason')}
      </div>
      <div class="wide actions">
        <button type="submit" class="primary" ?disabled=${this.busy}>${this.editing === null ? 'File downtime' : 'Save changes'}</button>
        <span role="status">${this.done}</span>
      </div>
    </form>`;
  }
}

customElements.define('rm-downtime-form', RmDowntimeForm);

declare global {
  interface HTMLElementTagNameMap {
    'rm-downtime-form': RmDowntimeForm;
  }
}
