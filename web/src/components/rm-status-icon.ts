/**
 * <rm-status-icon kind="CRITICAL" detail="..." acknowledged> — one state as
 * an icon whose shape differs per state (not only its colour), named for
 * screen readers. `acknowledged`: an operator acknowledged the alarm (no
 * reminders until its state changes), drawn as a badge with a tick at the
 * lower right and said in the name ("Critical, acknowledged").
 */
import { LitElement, css, html, nothing, svg, type SVGTemplateResult } from 'lit';
import type { StatusKind } from '../series-status.js';

export const STATUS_LABELS: Record<StatusKind, string> = {
  OK: 'OK',
  WARNING: 'Warning',
  CRITICAL: 'Critical',
  NODATA: 'No data',
  DOWNTIME: 'In downtime',
};

const SHAPES: Record<StatusKind, SVGTemplateResult> = {
  OK: svg`<circle cx="8" cy="8" r="7" fill="var(--rm-ok)"/><path d="M4.5 8.3l2.3 2.3 4.7-4.9" stroke="#fff" stroke-width="1.8" fill="none"/>`,
  WARNING: svg`<path d="M8 1l7.5 13.5h-15z" fill="var(--rm-warning)"/><path d="M8 5.5v4.5M8 11.5v1.5" stroke="#fff" stroke-width="1.8"/>`,
  CRITICAL: svg`<path d="M5 1h6l4 4v6l-4 4H5l-4-4V5z" fill="var(--rm-critical)"/><path d="M5.3 5.3l5.4 5.4M10.7 5.3l-5.4 5.4" stroke="#fff" stroke-width="1.8"/>`,
  NODATA: svg`<circle cx="8" cy="8" r="6.2" fill="none" stroke="var(--rm-nodata)" stroke-width="1.6" stroke-dasharray="2.4 1.6"/><path d="M6.2 6.3a1.9 1.9 0 1 1 2.6 1.8c-.6.3-.8.6-.8 1.3M8 11.2v1.2" stroke="var(--rm-nodata)" stroke-width="1.5" fill="none"/>`,
  DOWNTIME: svg`<rect x="1" y="1" width="14" height="14" rx="3" fill="var(--rm-accent)"/><path d="M6 4.5v7M10 4.5v7" stroke="#fff" stroke-width="2"/>`,
};

/** The acknowledged badge: a ring of the page's background so it reads on every shape. */
const ACK_BADGE = svg`<g class="ack"><circle cx="12.2" cy="12.2" r="3.8" fill="var(--rm-accent)" stroke="var(--rm-bg, #fff)" stroke-width="1.2"/><path d="M10.4 12.3l1.3 1.3 2.3-2.5" stroke="#fff" stroke-width="1.2" fill="none"/></g>`;

export class RmStatusIcon extends LitElement {
  static override properties = {
    kind: { type: String, reflect: true },
    detail: { type: String },
    acknowledged: { type: Boolean, reflect: true },
  };

  static override styles = css`
    :host {
      display: inline-flex;
      vertical-align: middle;
      width: 1.1em;
      height: 1.1em;
    }
    svg {
      width: 100%;
      height: 100%;
    }
  `;

  kind: StatusKind = 'OK';
  /** More words for the label: the downtime's reason, the alarm's value. */
  detail = '';
  acknowledged = false;

  override render() {
    const name = this.acknowledged ? `${STATUS_LABELS[this.kind]}, acknowledged` : STATUS_LABELS[this.kind];
    const label = this.detail ? `${name}: ${this.detail}` : name;
    return html`<svg viewBox="0 0 16 16" role="img" aria-label=${label}><title>${label}</title>${SHAPES[this.kind]}${this.acknowledged ? ACK_BADGE : nothing}</svg>`;
  }
}

customElements.define('rm-status-icon', RmStatusIcon);

declare global {
  interface HTMLElementTagNameMap {
    'rm-status-icon': RmStatusIcon;
  }
}
