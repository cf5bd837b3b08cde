/**
 * <rm-nodes-panel> — the overview's nodes (GET /api/v1/nodes): counts per
 * state in the header, then every node, problems first (down, late, up),
 * each with its state (a shape, a colour and the word), since when, its
 * last contact (each relative and absolute, with the zone), its kind and,
 * when the node metadata names it, its display name. A fleet's many up
 * nodes fold away under one line (nodes.ts panelParts);
 * `node` points a row out (a node-down alarm links here) and scrolls to it.
 * Each node's name links to its host page.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { NodeInfo, NodeState } from '../api-types.js';
import { formatAge, formatZonedTime } from '../format.js';
import { countNodes, nodeCountsText, nodeKey, panelParts } from '../nodes.js';
import { hostHref } from '../navigation.js';
import { sharedStyles } from '../styles.js';

const MARKS: Record<NodeState, string> = { down: '■', late: '▲', up: '●' };

export class RmNodesPanel extends LitElement {
  static override properties = {
    nodes: { attribute: false },
    names: { attribute: false },
    now: { type: Number },
    node: { type: String },
  };

  static override styles = [
    sharedStyles,
    css`
      h2 {
        margin-top: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.3em 1em;
        align-items: baseline;
      }
      .counts {
        font-size: 0.95rem;
        font-weight: 400;
        font-variant-numeric: tabular-nums;
      }
      .state {
        font-weight: 600;
        white-space: nowrap;
      }
      .state[data-state='down'] {
        color: var(--rm-critical);
      }
      .state[data-state='late'] {
        color: var(--rm-warning);
      }
      .state[data-state='up'] {
        color: var(--rm-ok);
      }
      tr[aria-current='true'] td {
        background: #fff7e6;
      }
      td.time {
        font-variant-numeric: tabular-nums;
      }
      summary {
        cursor: pointer;
        padding: 0.4em 0;
      }
    `,
  ];

  nodes: readonly NodeInfo[] = [];
  /** Node id → display name, from the node metadata; null when it cannot be read (names left out). */
  names: ReadonlyMap<string, string> | null = null;
  now = Date.now() / 1000;
  /** The key (nodes.ts nodeKey) of the node whose row is pointed out. */
  node = '';

  /** The node last scrolled to: once per link followed, not at every refresh. */
  private scrolledTo = '';

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.node === this.scrolledTo) return;
    const row = this.renderRoot.querySelector<HTMLElement>('tr[aria-current="true"]');
    if (!row) return;
    this.scrolledTo = this.node;
    row.scrollIntoView({ block: 'center' });
  }

  private renderTime(at: number) {
    return html`<time datetime=${new Date(at * 1000).toISOString()}>${formatAge(at, this.now)}</time> <span class="muted">(${formatZonedTime(at)})</span>`;
  }

  private renderRow(n: NodeInfo, showNames: boolean) {
    const name = this.names?.get(n.name);
    const key = nodeKey(n);
    return html`<tr data-node=${n.name} data-key=${key} data-kind=${n.kind} data-state=${n.state} aria-current=${key === this.node ? 'true' : 'false'}>
      <td><span class="state" data-state=${n.state}><span aria-hidden="true">${MARKS[n.state]}</span> ${n.state}</span></td>
      <td class="name"><a href=${hostHref(key)} aria-label=${`Host page of ${n.kind} ${n.name}`}>${n.name}</a></td>
      ${showNames ? html`<td class="display-name">${name ?? ''}</td>` : nothing}
      <td>${n.kind}</td>
      <td class="time since">${this.renderTime(n.since)}</td>
      <td class="time contact">${this.renderTime(n.lastSeen)}</td>
    </tr>`;
  }

  private renderTable(nodes: readonly NodeInfo[], showNames: boolean, caption: string) {
    return html`<table>
      <caption class="visually-hidden">${caption}</caption>
      <thead>
        <tr><th>State</th><th>Node</th>${showNames ? html`<th>Display name</th>` : nothing}<th>Kind</th><th>Since</th><th>Last contact</th></tr>
      </thead>
      <tbody>${nodes.map((n) => this.renderRow(n, showNames))}</tbody>
    </table>`;
  }

  override render() {
    const counts = countNodes(this.nodes);
    const { listed, folded } = panelParts(this.nodes);
    const showNames = this.names !== null && this.nodes.some((n) => this.names?.has(n.name));
    return html`<section class="panel" aria-labelledby="nodes-heading">
      <h2 id="nodes-heading">Nodes <span class="counts" id="node-counts">${nodeCountsText(counts)}</span></h2>
      ${listed.length > 0 ? this.renderTable(listed, showNames, folded.length > 0 ? 'Nodes down or late' : 'Nodes, down and late first') : nothing}
      ${folded.length > 0
        ? html`<details ?open=${folded.some((n) => nodeKey(n) === this.node)}>
            <summary>${folded.length.toLocaleString()} nodes up</summary>
            ${this.renderTable(folded, showNames, 'Nodes up')}
          </details>`
        : nothing}
    </section>`;
  }
}

customElements.define('rm-nodes-panel', RmNodesPanel);

declare global {
  interface HTMLElementTagNameMap {
    'rm-nodes-panel': RmNodesPanel;
  }
}
