/**
 * <rm-overview> — every series grouped by prefix with its state icon, the
 * counts per state, a filter box, and a way to graph the series picked.
 * States come from the alarms API when the server has one, else from each
 * series' last update; active downtimes mark the series they cover. A
 * toggle narrows the list to the series whose samples miss their archive
 * (drift) or wait for one (held). Above them, the nodes and their states
 * (<rm-nodes-panel>, when there are any), loaded and refreshed together.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { NodeInfo } from '../api-types.js';
import { LoadTask } from '../load-task.js';
import { graphHref, navigate } from '../navigation.js';
import { groupSeries } from '../series-groups.js';
import { matchesAny } from '../series-glob.js';
import { hasArchiveProblem } from '../series-problems.js';
import { countByKind, seriesStatuses, type SeriesStatus, type StatusKind } from '../series-status.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';
import './rm-nodes-panel.js';
import './rm-series-tree.js';
import './rm-state-counts.js';

interface OverviewData {
  /** Every series' status as of `at`: worked out once per load, not on each keystroke in the filter. */
  readonly statuses: SeriesStatus[];
  readonly alarmsAvailable: boolean;
  readonly at: number;
  /** Every node; null when the server has no nodes API. */
  readonly nodes: NodeInfo[] | null;
  /** Their display names; null when the metadata cannot be read. */
  readonly names: ReadonlyMap<string, string> | null;
}

/** The nodes, and the display names the metadata gives them: names are a help, so any failure to read them leaves them out. */
async function nodesAndNames(signal: AbortSignal): Promise<{ nodes: NodeInfo[] | null; names: ReadonlyMap<string, string> | null }> {
  const nodes = await api.nodes(signal);
  if (nodes === null || nodes.length === 0) return { nodes, names: null };
  const names = await api.displayNames(new Set(nodes.map((n) => n.name)), signal).catch(() => null);
  return { nodes, names };
}

function matchesFilter(s: SeriesStatus, filter: string): boolean {
  if (!filter) return true;
  if (filter.includes('*')) return matchesAny(s.series, [filter]);
  return s.series.toLowerCase().includes(filter.toLowerCase());
}

export class RmOverview extends LitElement {
  static override properties = {
    filter: { type: String },
    states: { attribute: false },
    problems: { type: Boolean },
    node: { type: String },
    picked: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      .bar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.8em 1.2em;
        align-items: center;
        margin-bottom: 0.8em;
      }
      label {
        display: inline-flex;
        gap: 0.4em;
        align-items: center;
      }
      .n {
        font-variant-numeric: tabular-nums;
        font-weight: 600;
      }
      input[type='search'] {
        min-width: 18em;
      }
      rm-nodes-panel {
        margin-bottom: 1em;
      }
    `,
  ];

  filter = '';
  states: readonly StatusKind[] = [];
  /** Show only the series with an archive problem. */
  problems = false;
  /** The node the nodes panel points out. */
  node = '';
  private picked: ReadonlySet<string> = new Set();
  private readonly load = new LoadTask<OverviewData>(this);
  private painted = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  /** Loads series, alarms, active downtimes and nodes again. */
  refresh(): Promise<void> {
    return this.load.run(async (signal) => {
      const [series, alarms, active, { nodes, names }] = await Promise.all([api.series(undefined, signal), api.alarms(signal), api.downtimes({ active: true }, signal), nodesAndNames(signal)]);
      const at = Date.now() / 1000;
      return { statuses: seriesStatuses(series, alarms, active, at), alarmsAvailable: alarms !== null, at, nodes, names };
    });
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.painted || !this.load.value) return;
    this.painted = true;
    // The mark benchmarks read: navigation start to the first overview on screen (after the frame that shows it).
    requestAnimationFrame(() => setTimeout(() => performance.mark('rm:overview-painted')));
  }

  private onFilter(e: Event): void {
    navigate(this, { filter: (e.target as HTMLInputElement).value }, true);
  }

  private onToggle(e: CustomEvent<{ series: string; selected: boolean }>): void {
    const next = new Set(this.picked);
    if (e.detail.selected) next.add(e.detail.series);
    else next.delete(e.detail.series);
    this.picked = next;
  }

  private renderBody(data: OverviewData) {
    const all = data.statuses;
    const filtered = all.filter((s) => matchesFilter(s, this.filter));
    const inState = this.states.length ? filtered.filter((s) => this.states.includes(s.kind)) : filtered;
    const shown = this.problems ? inState.filter((s) => hasArchiveProblem(s.info)) : inState;
    const withProblems = filtered.filter((s) => hasArchiveProblem(s.info)).length;
    return html`
      <div class="bar">
        <rm-state-counts .counts=${countByKind(filtered)} .selected=${this.states} @rm-states-change=${(e: CustomEvent<{ states: StatusKind[] }>) => navigate(this, { states: e.detail.states })}></rm-state-counts>
        <button type="button" id="problems" aria-pressed=${this.problems ? 'true' : 'false'} title="series whose samples do not fit their archive's step, or wait while their cadence is learned" @click=${() => navigate(this, { problems: !this.problems })}>
          Samples off their archive <span class="n">${withProblems}</span>
        </button>
      </div>
      ${!data.alarmsAvailable ? html`<p class="muted" id="no-alarms">This server has no alarms API: states show only whether data arrives.</p>` : nothing}
      <p class="visually-hidden" role="status">${shown.length} of ${all.length} series shown</p>
      <rm-series-tree .root=${groupSeries(shown)} .selected=${this.picked} .now=${data.at} ?expanded=${Boolean(this.filter) || this.states.length > 0 || this.problems} @rm-series-toggle=${this.onToggle} @rm-ack-change=${() => this.refresh()}></rm-series-tree>
    `;
  }

  override render() {
    const data = this.load.value;
    const picked = [...this.picked];
    return html`
      ${data?.nodes?.length ? html`<rm-nodes-panel .nodes=${data.nodes} .names=${data.names} .now=${data.at} .node=${this.node}></rm-nodes-panel>` : nothing}
      <div class="bar">
        <label>Filter series <input type="search" .value=${this.filter} placeholder="web01, host.*.load" @input=${this.onFilter} /></label>
        <a
          href=${graphHref(picked)}
          aria-disabled=${picked.length === 0 ? 'true' : 'false'}
          @click=${(e: Event) => picked.length === 0 && e.preventDefault()}
          >Graph the ${picked.length} selected</a
        >
        ${this.load.status === 'pending' ? html`<span class="muted" role="status">Loading…</span>` : nothing}
      </div>
      ${this.load.status === 'error' ? html`<p class="error" role="alert">Could not load the series: ${this.load.errorMessage}</p>` : nothing}
      ${data ? this.renderBody(data) : nothing}
    `;
  }
}

customElements.define('rm-overview', RmOverview);

declare global {
  interface HTMLElementTagNameMap {
    'rm-overview': RmOverview;
  }
}
