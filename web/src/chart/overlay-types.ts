/** What is drawn over a graph's lines; times in milliseconds, as chart.js's time scale counts. */
import type { AlarmState, DowntimeKind } from '../api-types.js';

/** A downtime window: a shaded band from start to end (to the right edge while open). */
export interface DowntimeBand {
  readonly id: number;
  readonly kind: DowntimeKind;
  readonly start: number;
  readonly end: number | null;
  readonly reason: string;
  readonly author: string;
  readonly scope: readonly string[];
}

/** A warning or critical threshold of one series, as a horizontal line. */
export interface ThresholdMark {
  readonly level: 'warning' | 'critical';
  readonly value: number;
  readonly series: string;
  readonly rule: string;
  /** The unit of the series' values: the line is drawn against its axis and labelled with it. */
  readonly unit?: string;
}

/** An alarm state change of one series. */
export interface AlarmMarker {
  readonly at: number;
  readonly series: string;
  readonly rule: string;
  readonly from: AlarmState;
  readonly to: AlarmState;
  readonly value: number | null;
  readonly threshold: string | null;
  readonly suppressed: boolean;
}

export interface Overlays {
  readonly bands: readonly DowntimeBand[];
  readonly thresholds: readonly ThresholdMark[];
  readonly markers: readonly AlarmMarker[];
}

export const NO_OVERLAYS: Overlays = { bands: [], thresholds: [], markers: [] };

/** What the pointer is over, for the hover card. */
export type OverlayHit = { readonly type: 'band'; readonly band: DowntimeBand } | { readonly type: 'marker'; readonly marker: AlarmMarker };
