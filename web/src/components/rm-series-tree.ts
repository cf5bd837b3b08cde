/**
 * <rm-series-tree> — the overview's groups (site or kind / host / check) as
 * disclosure sections, each naming its most urgent state, and the series
 * rows with their icon, last value and age. Checkboxes pick series for one
 * graph: fires `rm-series-toggle`. A series whose samples do not fit its
 * archive (drift) or wait for one (held) wears a badge saying so, and its
 * groups one counting them. A node-down item (`node:web03`) has no graph:
 * it links to its node's row and takes no checkbox. A bad alarm can be
 * acknowledged from its row (<rm-ack-control>). Each group links to its
 * host page (<rm-host-view>): the groups are the index of hosts, most
 * urgent first.
 */
import { LitElement, css, html, nothing } from 'lit';
import { emit } from '../events.js';
import { formatAge, formatTime } from '../format.js';
import { formatLastValue } from '../units.js';
import { graphHref, hostHref, itemHref } from '../navigation.js';
import { nodeOfItem } from '../nodes.js';
import type { SeriesGroup } from '../series-groups.js';
import type { SeriesStatus } from '../series-status.js';
import { driftBadge, driftEffect, heldBadge, heldEffect, reshapeAdvice } from '../series-problems.js';
import { sharedStyles } from '../styles.js';
import { STATUS_LABELS } from './rm-status-icon.js';
import './rm-ack-control.js';
import './rm-status-icon.js';

declare global {
  interface HTMLElementEventMap {
    'rm-series-toggle': CustomEvent<{ series: string; selected: boolean }>;
  }
}

/** Most series one "graph all" link draws: the fetch API's limit. */
const GRAPH_LIMIT = 100;

/** The badges of the series under `group` with drift (one text each), and how many are held. */
function problemsIn(group: SeriesGroup): { drift: string[]; held: number } {
  const all = membersOf(group);
  return { drift: all.flatMap((m) => (m.info?.drift ? [driftBadge(m.info.drift)] : [])), held: all.filter((m) => m.info?.held).length };
}

/** Every series under `group`, its subgroups' too. */
function membersOf(group: SeriesGroup): SeriesStatus[] {
  return [...group.members, ...group.groups.flatMap(membersOf)];
}

function describe(s: SeriesStatus): string {
  // A check's own words first (`CRITICAL: disk full`), then what ringmon makes of them.
  const parts: string[] = s.info?.message ? [s.info.message] : [];
  for (const a of s.alarms) if (a.state !== 'OK') parts.push(`${a.rule}: ${STATUS_LABELS[a.state]}${a.suppressed ? ' (silenced)' : ''} since ${formatTime(a.since)}`);
  if (s.downtime) parts.push(`${s.downtime.kind} downtime until ${formatTime(s.downtime.end)}: ${s.downtime.reason}`);
  return parts.join('; ');
}

export class RmSeriesTree extends LitElement {
  static override properties = {
    root: { attribute: false },
    selected: { attribute: false },
    now: { type: Number },
    expanded: { type: Boolean },
  };

  static override styles = [
    sharedStyles,
    css`
      .group {
        position: relative;
        margin: 0.25em 0 0.25em 0.6em;
      }
      details > .group {
        margin-left: 1.4em;
      }
      /* Outside the summary, which is a control itself (a link in it is a control in a control), on its line. */
      .group > .links {
        position: absolute;
        top: 0;
        right: 0;
        display: flex;
      }
      .links a {
        min-width: 24px;
        padding: 0.25em 0.4em;
        line-height: 1.5;
      }
      summary {
        cursor: pointer;
        padding: 0.25em 0;
        display: flex;
        align-items: center;
        gap: 0.45em;
      }
      summary .name {
        font-weight: 600;
      }
      table {
        margin: 0.2em 0 0.6em 1.4em;
        width: calc(100% - 1.4em);
        table-layout: fixed;
      }
      td {
        overflow-wrap: anywhere;
      }
      td.value,
      td.age {
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      tr[data-kind='CRITICAL'] a {
        color: var(--rm-critical);
        font-weight: 600;
      }
      .badge {
        display: inline-block;
        margin: 0 0.4em 0.15em 0;
        padding: 0 0.5em;
        border-radius: 999px;
        font-size: 0.8rem;
        border: 1px solid var(--rm-warning, #b26a00);
        color: var(--rm-warning, #8a5300);
        background: #fff7e6;
        white-space: nowrap;
      }
      .badge[data-badge='held'] {
        border-color: var(--rm-border, #d5d9e0);
        color: var(--rm-muted, #5b6472);
        background: var(--rm-panel, #fff);
      }
      tr[data-kind='WARNING'] a {
        color: var(--rm-warning);
        font-weight: 600;
      }
    `,
  ];

  root: SeriesGroup | undefined;
  selected: ReadonlySet<string> = new Set();
  now = Date.now() / 1000;
  /** Open every group (a filter narrowed the list). */
  expanded = false;

  private toggle(series: string, selected: boolean): void {
    emit(this, 'rm-series-toggle', { series, selected });
  }

  private renderRow(s: SeriesStatus) {
    const note = describe(s);
    return html`<tr data-series=${s.series} data-kind=${s.kind}>
      <td class="check">
        ${nodeOfItem(s.series) === undefined
          ? html`<input type="checkbox" aria-label=${`Select ${s.series} for a graph`} .checked=${this.selected.has(s.series)} @change=${(e: Event) => this.toggle(s.series, (e.target as HTMLInputElement).checked)} />`
          : nothing}
      </td>
      <td class="icon"><rm-status-icon kind=${s.kind} detail=${note} ?acknowledged=${s.alarms.some((a) => a.state === s.kind && a.acknowledgement !== undefined)}></rm-status-icon></td>
      <td><a href=${itemHref(s.series)}>${s.series}</a></td>
      <td class="value">${formatLastValue(s.info?.lastValue, s.info?.unit, s.info?.definition.dataSources[0]?.type)}</td>
      <td class="age">${s.info ? formatAge(s.info.lastUpdate, this.now) : 'never'}</td>
      <td class="muted">${this.renderBadges(s)}${note} <rm-ack-control .alarm=${s.alarms.find((a) => a.state !== 'OK')}></rm-ack-control></td>
    </tr>`;
  }

  private renderBadges(s: SeriesStatus) {
    const drift = s.info?.drift;
    const held = s.info?.held;
    return html`${drift ? html`<span class="badge" data-badge="drift" data-drift=${drift.kind} title=${`${driftEffect(drift)}. ${reshapeAdvice(drift)}`}>${driftBadge(drift)}</span>` : nothing}${
      held ? html`<span class="badge" data-badge="held" title=${heldEffect(held)}>${heldBadge(held)}</span>` : nothing
    }`;
  }

  private renderGroupBadges(group: SeriesGroup) {
    const { drift, held } = problemsIn(group);
    // One text when every drifting series says the same ("2 series: samples every 60 s; archive expects 10 s").
    const text = new Set(drift).size === 1 ? drift[0] : "samples that do not fit their archive's step";
    return html`${drift.length ? html`<span class="badge" data-badge="drift" title="open the group to see each series">${drift.length} series: ${text}</span>` : nothing}${
      held ? html`<span class="badge" data-badge="held" title="new series whose samples wait while their cadence is learned">${held} held</span>` : nothing
    }`;
  }

  private renderGroup(group: SeriesGroup, depth: number): unknown {
    const members = group.members.length
      ? html`<table>
          <colgroup><col style="width:2.2em" /><col style="width:2em" /><col style="width:34%" /><col style="width:8em" /><col style="width:7em" /><col /></colgroup>
          <thead class="visually-hidden"><tr><th>Select</th><th>State</th><th>Series</th><th>Last value</th><th>Updated</th><th>Notes</th></tr></thead>
          <tbody>${group.members.map((m) => this.renderRow(m))}</tbody>
        </table>`
      : nothing;
    const children = group.groups.map((g) => this.renderGroup(g, depth + 1));
    if (depth === 0) return html`${children}${members}`;
    const open = this.expanded || group.worst !== 'OK' || group.total <= 50;
    return html`<div class="group">
      <details ?open=${open} data-prefix=${group.prefix}>
        <summary>
          <rm-status-icon kind=${group.worst}></rm-status-icon>
          <span class="name">${group.prefix}</span>
          <span class="muted">${group.total} series</span>
          ${this.renderGroupBadges(group)}
        </summary>
        ${children}${members}
      </details>
      <span class="links">
        <a class="graph" href=${graphHref(membersOf(group).slice(0, GRAPH_LIMIT).map((m) => m.series))} aria-label=${`Graph every series under ${group.prefix}`}>graph</a>
        <a class="host-link" href=${hostHref(group.prefix)} aria-label=${`Host page of ${group.prefix}: a small graph per kind of series`}>host page</a>
      </span>
    </div>`;
  }

  override render() {
    if (!this.root || this.root.total === 0) return html`<p class="muted">No series match.</p>`;
    return this.renderGroup(this.root, 0);
  }
}

customElements.define('rm-series-tree', RmSeriesTree);

declare global {
  interface HTMLElementTagNameMap {
    'rm-series-tree': RmSeriesTree;
  }
}
