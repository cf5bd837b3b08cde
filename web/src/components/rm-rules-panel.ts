/**
 * <rm-rules-panel .series=${[...]}> — for each series drawn on a graph,
 * the alarm rule that applies (the API's answer: the first rule whose
 * patterns match), its state, and its warning and critical thresholds in
 * the words the alarm history and mails use (the API's `text`; the page
 * holds no converter of its own). A bad alarm can be acknowledged here,
 * with the same form as in the alarms view; an acknowledged one says by
 * whom and can be withdrawn. Says so when the server has no alarms API.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { Alarm, AlarmRule, ThresholdLine } from '../api-types.js';
import { formatDuration } from '../format.js';
import { LoadTask } from '../load-task.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';
import './rm-ack-control.js';
import './rm-status-icon.js';

interface RulesData {
  /** null: the server has no alarms API. */
  readonly alarms: ReadonlyMap<string, Alarm> | null;
  readonly rules: ReadonlyMap<string, AlarmRule>;
}

/** A rule's states setting in words: `not 0 or 1 in 5 min → CRITICAL`. */
function statesText(states: NonNullable<AlarmRule['states']>): string {
  return `${states.require === 'all' ? 'any value' : 'every value'} not ${states.ok.join(' or ')} in ${formatDuration(states.window)} → ${states.level}`;
}

/** How long a breach must hold, and when missing samples count. */
function holdText(rule: AlarmRule | undefined): string {
  if (!rule) return '';
  const parts = [rule.for > 0 ? `for ${formatDuration(rule.for)}` : 'at once'];
  if (rule.nodata !== null) parts.push(`no data after ${formatDuration(rule.nodata)}`);
  return parts.join('; ');
}

export class RmRulesPanel extends LitElement {
  static override properties = {
    series: { attribute: false },
  };

  static override styles = [
    sharedStyles,
    css`
      .threshold {
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .match {
        font-size: 0.85rem;
      }
    `,
  ];

  series: readonly string[] = [];
  private readonly load = new LoadTask<RulesData>(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('series')) void this.refresh();
  }

  refresh(): Promise<void> {
    return this.load.run(async (signal) => {
      const [alarms, rules] = await Promise.all([api.alarms(signal), api.rules(signal)]);
      return { alarms: alarms === null ? null : new Map(alarms.map((a) => [a.series, a])), rules: new Map((rules ?? []).map((r) => [r.name, r])) };
    });
  }

  private renderThreshold(line: ThresholdLine | undefined, level: 'WARNING' | 'CRITICAL', rule: AlarmRule | undefined) {
    if (line) return html`<span class="threshold" title=${`Nagios range ${line.range}`}>${line.text}</span>`;
    return rule?.states?.level === level ? html`<span class="threshold">${statesText(rule.states)}</span>` : html`<span class="muted">none</span>`;
  }

  private renderRow(series: string, data: RulesData) {
    const a = data.alarms?.get(series);
    if (!a) return html`<tr data-series=${series}><td>${series}</td><td colspan="6" class="muted">No alarm rule applies.</td></tr>`;
    const rule = data.rules.get(a.rule);
    return html`<tr data-series=${series} data-state=${a.state} ?data-acknowledged=${a.acknowledgement !== undefined}>
        <td>${series}</td>
        <td class="state"><rm-status-icon kind=${a.state} ?acknowledged=${a.acknowledgement !== undefined} aria-hidden="true"></rm-status-icon> ${a.state}</td>
        <td class="rule">${a.rule}${rule ? html`<div class="muted match">matches ${rule.match.join(', ')}</div>` : nothing}</td>
        <td class="warning">${this.renderThreshold(a.thresholds.warning, 'WARNING', rule)}</td>
        <td class="critical">${this.renderThreshold(a.thresholds.critical, 'CRITICAL', rule)}</td>
        <td>${holdText(rule)}</td>
        <td><rm-ack-control .alarm=${a} note></rm-ack-control></td>
      </tr>`;
  }

  override render() {
    const data = this.load.value;
    if (this.load.status === 'error') return html`<p class="error" role="alert">Could not load the rules: ${this.load.errorMessage}</p>`;
    if (!data) return nothing;
    if (data.alarms === null) return html`<p class="muted">This server has no alarms API: no rules apply.</p>`;
    return html`<h2 id="rules-h">Rules</h2>
      <table id="rules" aria-labelledby="rules-h" @rm-ack-change=${() => this.refresh()}>
        <thead><tr><th>Series</th><th>State</th><th>Rule</th><th>Warning</th><th>Critical</th><th>Holds</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          ${this.series.map((s) => this.renderRow(s, data))}
        </tbody>
      </table>`;
  }
}

customElements.define('rm-rules-panel', RmRulesPanel);

declare global {
  interface HTMLElementTagNameMap {
    'rm-rules-panel': RmRulesPanel;
  }
}
