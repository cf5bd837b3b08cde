/**
 * <rm-empty-notes> — why series of a graph draw no line (empty-reasons.ts),
 * one item per series, announced politely to screen readers. With
 * `overlay` it sits over an empty chart; without, it reads as a legend
 * under a chart that draws the other series. A series with no samples in
 * the range gets a link to a range that holds its last one (`hrefOf`).
 */
import { LitElement, css, html, nothing } from 'lit';
import type { EmptyReason } from '../empty-reasons.js';
import { formatDuration, formatTime } from '../format.js';
import { driftBadge, driftEffect, reshapeAdvice } from '../series-problems.js';
import { sharedStyles } from '../styles.js';

const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

export class RmEmptyNotes extends LitElement {
  static override properties = {
    reasons: { attribute: false },
    hrefOf: { attribute: false },
    overlay: { type: Boolean, reflect: true },
  };

  static override styles = [
    sharedStyles,
    css`
      ul {
        margin: 0.4em 0;
        padding: 0;
        list-style: none;
        font-size: 0.9rem;
      }
      li {
        margin: 0.3em 0;
        padding-left: 0.6em;
        border-left: 3px solid var(--rm-warning, #b26a00);
      }
      /* Over a chart: drags and double-clicks reach it through the note, links stay links. */
      :host([overlay]) {
        pointer-events: none;
      }
      :host([overlay]) a {
        pointer-events: auto;
      }
      :host([overlay]) ul {
        max-width: 46em;
        padding: 0.8em 1em;
        background: var(--rm-panel, #fff);
        border: 1px solid var(--rm-border, #d5d9e0);
        border-radius: 6px;
        font-size: 1rem;
      }
      code {
        font-size: 0.9em;
      }
    `,
  ];

  reasons: readonly EmptyReason[] = [];
  /** The link to this graph over another range. */
  hrefOf: (range: { from: number; to: number }) => string = () => '#';
  overlay = false;

  private renderReason(r: EmptyReason) {
    const last = (t: number) => html`the last sample is at <time datetime=${iso(t)}>${formatTime(t)}</time>`;
    switch (r.kind) {
      case 'never':
        return html`no samples yet: the server has no series of this name; its first sample will show here.`;
      case 'held':
        return html`no archive yet, its samples are held while its cadence is learned. The server says: <q>${r.message}</q>`;
      case 'outside':
        return html`no samples in this range; ${last(r.lastUpdate)}. <a href=${this.hrefOf(r.suggested)}>Show a range with it</a>`;
      case 'drift':
        return html`samples arrive but are stored as unknown: ${driftBadge(r.drift)} (heartbeat ${formatDuration(r.drift.heartbeat)}); ${driftEffect(r.drift)}.
          ${reshapeAdvice(r.drift)}`;
      case 'unknown':
        return html`nothing to draw, the values in this range are unknown${r.lastUpdate === null ? '' : html` though ${last(r.lastUpdate)}`}: the archive keeps a point per
          ${formatDuration(r.step)}${r.heartbeat === null ? '' : ` and stores a gap longer than its heartbeat (${formatDuration(r.heartbeat)}) as unknown`}. If the
          samples come further apart than that, reshape its archive to their interval: POST /api/v1/admin/reshape, or
          <code>ringmon archive reshape FILE --step SECONDS</code> with the server stopped.`;
      default: {
        const never: never = r;
        return never;
      }
    }
  }

  override render() {
    if (this.reasons.length === 0) return nothing;
    // The live region wraps the list: a role on the <ul> itself would take its list semantics away.
    return html`<div role="status" aria-label="Why nothing is drawn">
      <ul>
        ${this.reasons.map((r) => html`<li data-series=${r.series} data-reason=${r.kind}><strong>${r.series}</strong>: ${this.renderReason(r)}</li>`)}
      </ul>
    </div>`;
  }
}

customElements.define('rm-empty-notes', RmEmptyNotes);

declare global {
  interface HTMLElementTagNameMap {
    'rm-empty-notes': RmEmptyNotes;
  }
}
