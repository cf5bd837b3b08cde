/**
 * <rm-alarms-view> — the alarms now (most urgent first), the state changes
 * of the last week and the notification log. Says so when the server has
 * no alarms API. A series shows its node's display name beside it, and
 * what holds its notices back (`held: node web03 is down`); a node-down
 * item (`node:web03`) has no graph and links to its node's row in the
 * overview instead. A bad alarm has an Acknowledge button that opens a
 * small form (<rm-ack-form>); an acknowledged one shows who, why and until
 * when, its icon a badge, and a button that withdraws it. The history
 * lists acknowledgements among the state changes.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { AckEvent, Alarm, NodeState, NotificationEntry, Transition } from '../api-types.js';
import { errorText, formatTime, formatValue } from '../format.js';
import { LoadTask } from '../load-task.js';
import { itemHref } from '../navigation.js';
import { heldText, nodeKey, nodeLabel, nodeOfItem, parseNodeKey } from '../nodes.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';
import './rm-ack-form.js';
import './rm-status-icon.js';

interface AlarmsData {
  readonly alarms: Alarm[] | null;
  readonly transitions: Transition[] | null;
  readonly acknowledgements: AckEvent[];
  readonly notifications: NotificationEntry[] | null;
  /** Each node's state now by its key (an empty map without the nodes API): how a held series reads. */
  readonly nodeStates: ReadonlyMap<string, NodeState>;
  /** Display names by alarm item: the API's for series, the metadata's for node-down items. */
  readonly displayNames: ReadonlyMap<string, string>;
}

const HISTORY_SECONDS = 7 * 86_400;
const NOTIFICATIONS = 100;
const URGENCY: Record<Alarm['state'], number> = { CRITICAL: 0, WARNING: 1, NODATA: 2, OK: 3 };
const ACK_WORDS: Record<AckEvent['action'], string> = { ack: 'acknowledged', unack: 'acknowledgement withdrawn', expired: 'acknowledgement expired', ended: 'acknowledgement ended' };

/** `acknowledged by alice: disk swap booked · until 2026-12-01 10:00` */
function ackText(a: NonNullable<Alarm['acknowledgement']>): string {
  return `acknowledged by ${a.author}: ${a.comment}${a.until === null ? '' : ` · until ${formatTime(a.until)}`}`;
}

/** One row of the history: a state change or an acknowledgement event, by time. */
type HistoryRow = { readonly at: string; readonly transition: Transition } | { readonly at: string; readonly ack: AckEvent };

function thresholdText(a: Alarm): string {
  const parts: string[] = [];
  if (a.thresholds.warning) parts.push(`warning ${a.thresholds.warning.range}`);
  if (a.thresholds.critical) parts.push(`critical ${a.thresholds.critical.range}`);
  return parts.join(', ');
}

/** Display names by item: the alarms' own, and for node-down items (which the API names by node) those the metadata gives, when it can be read. */
async function displayNamesOf(alarms: readonly Alarm[] | null, signal: AbortSignal): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  /** Node-down items without a name, by the node's name (the metadata's id). */
  const items = new Map<string, string[]>();
  for (const a of alarms ?? []) {
    if (a.displayName !== undefined) names.set(a.series, a.displayName);
    const key = nodeOfItem(a.series);
    if (key === undefined || a.displayName !== undefined) continue;
    const { name } = parseNodeKey(key);
    items.set(name, [...(items.get(name) ?? []), a.series]);
  }
  if (items.size === 0) return names;
  const fromMetadata = await api.displayNames(items.keys(), signal).catch(() => null);
  for (const [node, name] of fromMetadata ?? []) for (const item of items.get(node) ?? []) names.set(item, name);
  return names;
}

export class RmAlarmsView extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .display-name {
        font-weight: 600;
      }
      .held {
        color: var(--rm-muted);
        font-style: italic;
      }
      .acked {
        font-weight: 600;
        color: var(--rm-accent);
      }
    `,
  ];
  static override properties = {
    acking: { state: true },
    actionError: { state: true },
  };

  private readonly load = new LoadTask<AlarmsData>(this);
  /** The series whose acknowledge form is open. */
  acking: string | null = null;
  actionError = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  refresh(): Promise<void> {
    return this.load.run(async (signal) => {
      const now = Math.floor(Date.now() / 1000);
      const [alarms, changes, notifications, nodes] = await Promise.all([
        api.alarms(signal),
        api.alarmChanges({ from: now - HISTORY_SECONDS, to: now + 1 }, signal),
        api.notifications(NOTIFICATIONS, signal),
        api.nodes(signal).catch(() => null),
      ]);
      const nodeStates = new Map((nodes ?? []).map((n) => [nodeKey(n), n.state]));
      const { transitions, acknowledgements } = changes ?? { transitions: null, acknowledgements: [] };
      return { alarms, transitions, acknowledgements, notifications, nodeStates, displayNames: await displayNamesOf(alarms, signal) };
    });
  }

  private async unack(series: string): Promise<void> {
    try {
      this.actionError = '';
      await api.unacknowledge(series);
    } catch (err) {
      this.actionError = `Could not withdraw the acknowledgement of ${series}: ${errorText(err)}`;
    }
    await this.refresh();
  }

  private acked(): void {
    this.acking = null;
    void this.refresh();
  }

  /** The state cell: icon (badged when acknowledged), word, and who acknowledged it why. */
  private renderState(a: Alarm) {
    const ack = a.acknowledgement;
    return html`<rm-status-icon kind=${a.state} ?acknowledged=${ack !== undefined} aria-hidden="true"></rm-status-icon> ${a.state}${a.suppressed ? ' (silenced)' : ''}${
      ack ? html` <span class="acked">(acknowledged)</span><div class="muted ack-note">${ackText(ack)}</div>` : nothing
    }`;
  }

  private renderAction(a: Alarm) {
    if (a.acknowledgement) return html`<button type="button" @click=${() => this.unack(a.series)} aria-label=${`Unacknowledge ${a.series}`}>Unacknowledge</button>`;
    if (a.state === 'OK' || this.acking === a.series) return nothing;
    return html`<button type="button" @click=${() => (this.acking = a.series)} aria-label=${`Acknowledge ${a.series}`}>Acknowledge</button>`;
  }

  /** The item's link (a graph, or a node's row), its display name beside it, and what holds its notices back. */
  private renderItem(series: string, data: AlarmsData, inhibitedBy: string | null | undefined) {
    const name = data.displayNames.get(series);
    return html`<a href=${itemHref(series)}>${series}</a>${name === undefined ? nothing : html` <span class="display-name">${name}</span>`}${
      inhibitedBy ? html`<div class="held">${heldText(inhibitedBy, data.nodeStates.get(inhibitedBy))}</div>` : nothing
    }`;
  }

  private renderAlarms(alarms: Alarm[], data: AlarmsData) {
    if (alarms.length === 0) return html`<p class="muted">No alarm rule covers any series.</p>`;
    const sorted = [...alarms].sort((a, b) => URGENCY[a.state] - URGENCY[b.state] || a.series.localeCompare(b.series));
    return html`<table id="alarms">
      <thead><tr><th>State</th><th>Series</th><th>Rule</th><th>Since</th><th>Value</th><th>Thresholds</th><th>Downtime</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>
        ${sorted.map(
          (a) => html`<tr data-state=${a.state} data-series=${a.series} ?data-acknowledged=${a.acknowledgement !== undefined}>
            <td>${this.renderState(a)}</td>
            <td class="item">${this.renderItem(a.series, data, a.inhibitedBy)}</td>
            <td>${a.rule}</td>
            <td>${formatTime(a.since)}</td>
            <td>${formatValue(a.value)}</td>
            <td>${thresholdText(a)}${a.message ? html`<div class="muted message">${a.message}</div>` : nothing}</td>
            <td>${a.downtime ? `${a.downtime.kind} #${a.downtime.id}: ${a.downtime.reason}` : ''}</td>
            <td>${this.renderAction(a)}</td>
          </tr>${
            this.acking === a.series
              ? html`<tr class="ack-form-row"><td colspan="8"><rm-ack-form series=${a.series} state=${a.state} @rm-ack-change=${() => this.acked()} @rm-ack-cancel=${() => (this.acking = null)}></rm-ack-form></td></tr>`
              : nothing
          }`,
        )}
      </tbody>
    </table>`;
  }

  private renderHistory(transitions: Transition[], data: AlarmsData) {
    const rows: HistoryRow[] = [...transitions.map((t) => ({ at: t.at, transition: t })), ...data.acknowledgements.map((e) => ({ at: e.at, ack: e }))];
    // Newest first, as the API lists each; ISO 8601 in UTC sorts as text.
    rows.sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : 0));
    if (rows.length === 0) return html`<p class="muted">No state changes in the last week.</p>`;
    return html`<table id="history">
      <thead><tr><th>At</th><th>Series</th><th>Rule</th><th>Change</th><th>Value</th><th>Threshold</th></tr></thead>
      <tbody>
        ${rows.map((row) => ('ack' in row ? this.renderAckEvent(row.ack, data) : this.renderTransition(row.transition, data)))}
      </tbody>
    </table>`;
  }

  private renderAckEvent(e: AckEvent, data: AlarmsData) {
    const who = e.author === null ? '' : ` by ${e.author}`;
    const why = e.comment === null ? '' : `: ${e.comment}`;
    return html`<tr class="ack-event" data-action=${e.action}>
      <td>${formatTime(e.at)}</td>
      <td class="item">${this.renderItem(e.series, data, undefined)}</td>
      <td></td>
      <td>${e.state} ${ACK_WORDS[e.action]}${who}${why}${e.action === 'ack' && e.until !== null ? ` · until ${formatTime(e.until)}` : ''}</td>
      <td></td>
      <td></td>
    </tr>`;
  }

  private renderTransition(t: Transition, data: AlarmsData) {
    return html`<tr>
      <td>${formatTime(t.at)}</td>
      <td class="item">${this.renderItem(t.series, data, undefined)}</td>
      <td>${t.rule}</td>
      <td>${t.from} → ${t.to}${t.suppressed ? ' (silenced)' : ''}${t.inhibitedBy ? ` (held: ${nodeLabel(t.inhibitedBy)})` : ''}</td>
      <td>${formatValue(t.value)}</td>
      <td>${t.threshold ?? ''}</td>
    </tr>`;
  }

  private renderNotifications(list: NotificationEntry[]) {
    if (list.length === 0) return html`<p class="muted">No notification sent yet.</p>`;
    return html`<table id="notifications">
      <thead><tr><th>Created</th><th>Channel</th><th>To</th><th>Cc</th><th>Subject</th><th>Status</th><th>Attempts</th><th>Last error</th></tr></thead>
      <tbody>
        ${list.map(
          (n) => html`<tr data-status=${n.status}>
            <td>${formatTime(n.createdAt)}</td>
            <td>${n.channel}</td>
            <td class="to" title=${n.recipient}>${n.to}</td>
            <td class="cc">${n.cc}</td>
            <td>${n.subject}</td>
            <td class=${n.status === 'failed' ? 'error' : ''}>${n.status}${n.sentAt ? html` <span class="muted">${formatTime(n.sentAt)}</span>` : nothing}</td>
            <td>${n.attempts}</td>
            <td>${n.lastError ?? ''}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  override render() {
    const data = this.load.value;
    if (this.load.status === 'error') return html`<p class="error" role="alert">Could not load the alarms: ${this.load.errorMessage}</p>`;
    if (!data) return html`<p class="muted" role="status">Loading…</p>`;
    if (data.alarms === null) return html`<p class="muted" id="no-alarms">This server has no alarms API yet: there are no alarms to show.</p>`;
    return html`
      <h2>Alarms now</h2>
      ${this.renderAlarms(data.alarms, data)}
      <h2>Changes in the last week</h2>
      ${data.transitions ? this.renderHistory(data.transitions, data) : html`<p class="muted">Not available.</p>`}
      <h2>Notification log</h2>
      ${data.notifications ? this.renderNotifications(data.notifications) : html`<p class="muted">Not available.</p>`}
    `;
  }
}

customElements.define('rm-alarms-view', RmAlarmsView);

declare global {
  interface HTMLElementTagNameMap {
    'rm-alarms-view': RmAlarmsView;
  }
}
