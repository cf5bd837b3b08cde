/**
 * <rm-chart> — one chart.js graph: lines, downtime bands, threshold lines
 * and alarm markers, with a hover card for bands and markers. Dragging
 * across it fires `rm-zoom` ({from, to} in Unix seconds), a double-click
 * `rm-zoom-reset`; shift+drag, or any drag while `selecting` is set, fires
 * `rm-range-select` (the span for a downtime); each completed drawing
 * fires `rm-chart-painted`.
 * The chart.js instance is `element.chart` (tests read their data there).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { ChartInput } from '../chart/chart-config.js';
import { ChartController } from '../chart/chart-controller.js';
import { NO_OVERLAYS, type OverlayHit, type Overlays } from '../chart/overlay-types.js';
import { emit } from '../events.js';
import { formatTime } from '../format.js';
import { sharedStyles } from '../styles.js';
import { formatUnit } from '../units.js';

declare global {
  interface HTMLElementEventMap {
    'rm-zoom': CustomEvent<{ from: number; to: number }>;
    'rm-zoom-reset': CustomEvent<void>;
    'rm-range-select': CustomEvent<{ from: number; to: number }>;
    'rm-chart-painted': CustomEvent<{ series: number; points: number }>;
  }
}

interface HoverCard {
  readonly hit: OverlayHit;
  readonly x: number;
  readonly y: number;
}

export class RmChart extends LitElement {
  static override properties = {
    input: { attribute: false },
    overlays: { attribute: false },
    label: { type: String },
    selecting: { type: Boolean },
    hover: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      .wrap {
        position: relative;
        height: var(--rm-chart-height, 420px);
      }
      canvas {
        touch-action: pan-y;
        cursor: crosshair;
      }
      .card {
        position: absolute;
        z-index: 2;
        max-width: 22em;
        padding: 0.45em 0.65em;
        background: #1d2330;
        color: #fff;
        border-radius: 4px;
        font-size: 0.85rem;
        pointer-events: none;
      }
      .card strong {
        display: block;
      }
    `,
  ];

  input: ChartInput | undefined;
  overlays: Overlays = NO_OVERLAYS;
  /** Names the graph for screen readers. */
  label = 'graph';
  /** A drag selects a span for a downtime instead of zooming. */
  selecting = false;
  private hover: HoverCard | null = null;

  private readonly controller = new ChartController(this, () => this.renderRoot.querySelector('canvas'), {
    onZoom: (from, to) => emit(this, 'rm-zoom', { from: Math.floor(from / 1000), to: Math.ceil(to / 1000) }),
    onReset: () => emit(this, 'rm-zoom-reset', undefined),
    onSelect: (from, to) => emit(this, 'rm-range-select', { from: Math.floor(from / 1000), to: Math.ceil(to / 1000) }),
    selecting: () => this.selecting,
    onHover: (hit, x, y) => {
      this.hover = hit ? { hit, x, y } : null;
    },
  });

  /** The chart.js instance, once drawn. */
  get chart() {
    return this.controller.chart;
  }

  /** The plot area's width in CSS pixels (the element's less the y axis and padding), once drawn. */
  get plotWidth(): number | undefined {
    const area = this.controller.chart?.chartArea;
    return area ? area.right - area.left : undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.input || !(changed.has('input') || changed.has('overlays'))) return;
    this.controller.show(this.input, this.overlays);
    const points = this.input.series.reduce((n, s) => n + s.points.length, 0);
    const detail = { series: this.input.series.length, points };
    // After the frame that shows the new drawing.
    requestAnimationFrame(() => setTimeout(() => emit(this, 'rm-chart-painted', detail)));
  }

  /**
   * Where the card goes: right of and below the pointer, or left of it in
   * the right half of the chart, so that it never reaches past the chart
   * (a card at the right edge was squeezed and widened the page).
   */
  private cardStyle(card: HoverCard): string {
    const width = this.chart?.width ?? this.clientWidth;
    const side = card.x > width / 2 ? `right:${Math.round(width - card.x + 12)}px` : `left:${Math.round(card.x + 12)}px`;
    return `${side};top:${Math.round(card.y + 12)}px`;
  }

  private renderCard(card: HoverCard) {
    const { hit } = card;
    const style = this.cardStyle(card);
    if (hit.type === 'band') {
      const b = hit.band;
      return html`<div class="card" role="tooltip" id="hover-card" style=${style}>
        <strong>${b.kind === 'planned' ? 'Planned' : 'Unplanned'} downtime #${b.id}</strong>
        <span class="reason">${b.reason}</span><br />
        by <span class="author">${b.author}</span><br />
        ${formatTime(b.start / 1000)} – ${b.end === null ? 'ongoing' : formatTime(b.end / 1000)}
      </div>`;
    }
    const m = hit.marker;
    return html`<div class="card" role="tooltip" id="hover-card" style=${style}>
      <strong>${m.series}: ${m.from} → ${m.to}</strong>
      ${m.rule} at ${formatTime(m.at / 1000)}<br />
      value ${formatUnit(m.value, this.input?.series.find((s) => s.label === m.series)?.unit)}${m.threshold ? html`, threshold ${m.threshold}` : nothing}${m.suppressed ? ' (silenced by a downtime)' : ''}
    </div>`;
  }

  override render() {
    return html`<div class="wrap">
      <canvas role="img" aria-label=${this.label} aria-describedby=${this.hover ? 'hover-card' : nothing}></canvas>
      ${this.hover ? this.renderCard(this.hover) : nothing}
    </div>`;
  }
}

customElements.define('rm-chart', RmChart);

declare global {
  interface HTMLElementTagNameMap {
    'rm-chart': RmChart;
  }
}
