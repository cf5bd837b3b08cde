/**
 * Dashboards as GET/PUT /api/v1/dashboards carry them (server/dashboards
 * is the reference; the client imports only its own files): a named grid
 * of panels, each a graph, a single value, a heatmap or an alarm list.
 */
import type { ConsolidationFunction } from './api-types.js';
import type { RangePreset } from './time-range.js';

export const PANEL_TYPES = ['graph', 'value', 'heatmap', 'alarms'] as const;
export type PanelType = (typeof PANEL_TYPES)[number];

/** The grid's columns, and a panel's most rows: as the server bounds them. */
export const GRID_COLUMNS = 12;
export const MAX_PANEL_HEIGHT = 8;
export const MAX_PANELS = 48;
export const MAX_PANEL_SERIES = 20;

/** graph: series (names or patterns), range, cf; value: series (one name); heatmap: view or match, range; alarms: match. */
export interface Panel {
  readonly type: PanelType;
  readonly title?: string;
  readonly w: number;
  readonly h: number;
  readonly series?: readonly string[];
  readonly range?: RangePreset;
  readonly cf?: ConsolidationFunction;
  readonly view?: string;
  readonly match?: string;
}

export interface DashboardDraft {
  readonly title: string;
  readonly panels: readonly Panel[];
}

export interface DashboardSummary {
  readonly name: string;
  readonly title: string;
  /** The name of the token that saved the version shown. */
  readonly author: string;
  readonly created: string;
  readonly updated: string;
  readonly version: number;
  readonly panelCount: number;
}

export interface Dashboard extends Omit<DashboardSummary, 'panelCount'>, DashboardDraft {}
