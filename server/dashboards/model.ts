/**
 * A dashboard: a named, saved grid of panels, each one of four types. The
 * limits below bound what one dashboard may hold; the HTTP door refuses
 * anything past them with a 400 naming the field (server/routes/dashboards.ts).
 */

/** What a panel shows: a graph of series, one series' last value, a heatmap, or an alarm list. */
export const PANEL_TYPES = ['graph', 'value', 'heatmap', 'alarms'] as const;
export type PanelType = (typeof PANEL_TYPES)[number];

/** The graph ranges a panel may show: the web client's presets (web/src/time-range.ts). */
export const PANEL_RANGES = ['1h', '1d', '1w', '1M', '1y'] as const;
export type PanelRange = (typeof PANEL_RANGES)[number];

export const PANEL_CFS = ['AVERAGE', 'MIN', 'MAX', 'LAST'] as const;
export type PanelCf = (typeof PANEL_CFS)[number];

/** Dashboard names: URL-safe, so `?d=NAME` and `/dashboards/NAME` need no escaping. */
export const DASHBOARD_NAME_PATTERN = '^[a-z0-9][a-z0-9_-]*$';
export const MAX_NAME_LENGTH = 64;
export const MAX_TITLE_LENGTH = 120;
/** Panels on one dashboard. */
export const MAX_PANELS = 48;
/** Series (names or patterns) one graph panel draws: as many as one graph reads well. */
export const MAX_PANEL_SERIES = 20;
/** The grid is 12 columns wide; a panel is 1–12 columns wide and 1–8 rows high. */
export const GRID_COLUMNS = 12;
export const MAX_PANEL_HEIGHT = 8;
/** Dashboards stored at once: the default of `dashboards.maxStored`. */
export const MAX_DASHBOARDS = 1000;
/** The largest PUT body, in bytes: 48 panels of 20 long patterns fit. */
export const MAX_DASHBOARD_BYTES = 256 * 1024;

/**
 * One panel. Which fields it has depends on its type:
 * graph: series (names or patterns), range, cf; value: series (one name);
 * heatmap: view (a configured heatmap) or match (a pattern), range;
 * alarms: match (a pattern).
 */
export interface Panel {
  readonly type: PanelType;
  readonly title?: string;
  /** Width in grid columns (1–12). */
  readonly w: number;
  /** Height in grid rows (1–8). */
  readonly h: number;
  readonly series?: readonly string[];
  readonly range?: PanelRange;
  readonly cf?: PanelCf;
  readonly view?: string;
  readonly match?: string;
}

/** What a client saves: the rest (author, times, version) the server sets. */
export interface DashboardDraft {
  readonly title: string;
  readonly panels: readonly Panel[];
}

export interface Dashboard extends DashboardDraft {
  readonly name: string;
  /** The name of the token that saved this version. */
  readonly author: string;
  /** Unix seconds. */
  readonly created: number;
  readonly updated: number;
  /** 1 when created, one more at each save: a save naming an older version is refused (409). */
  readonly version: number;
}

/** A dashboard in the listing: no panels, their count. */
export type DashboardSummary = Omit<Dashboard, 'panels'> & { readonly panelCount: number };
