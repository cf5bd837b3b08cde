/**
 * Editing a dashboard's panels without touching the page: the panel a
 * graph's URL state becomes, a new panel of each type, moving, removing and
 * changing one. Each returns a new list; the editor keeps the old one until
 * it saves.
 */
import type { ConsolidationFunction } from './api-types.js';
import { GRID_COLUMNS, MAX_PANEL_HEIGHT, MAX_PANEL_SERIES, type Panel, type PanelType } from './dashboard-types.js';
import type { TimeRange } from './time-range.js';

/**
 * The graph panel showing what the graph view shows: its series (at most
 * a panel's), preset range (a fixed range becomes the day, which a panel
 * always ends now) and CF, half the grid wide.
 */
export function graphPanel(series: readonly string[], range: TimeRange, cf: ConsolidationFunction): Panel {
  return {
    type: 'graph',
    w: GRID_COLUMNS / 2,
    h: 3,
    series: series.slice(0, MAX_PANEL_SERIES),
    range: 'preset' in range ? range.preset : '1d',
    ...(cf === 'AVERAGE' ? {} : { cf }),
  };
}

/** A new panel of `type`, to be filled in by the editor. */
export function newPanel(type: PanelType): Panel {
  switch (type) {
    case 'graph':
      return { type, w: 6, h: 3, series: [], range: '1d' };
    case 'value':
      return { type, w: 3, h: 1, series: [] };
    case 'heatmap':
      return { type, w: 12, h: 3, match: '', range: '1w' };
    case 'alarms':
      return { type, w: 6, h: 2, match: '**' };
    default: {
      const never: never = type;
      return never;
    }
  }
}

/** The panels with the one at `index` moved by `by` places (clamped to the list). */
export function movePanel(panels: readonly Panel[], index: number, by: number): Panel[] {
  const to = Math.min(panels.length - 1, Math.max(0, index + by));
  const out = [...panels];
  const [moved] = out.splice(index, 1);
  out.splice(to, 0, moved);
  return out;
}

export function removePanel(panels: readonly Panel[], index: number): Panel[] {
  return panels.filter((_, i) => i !== index);
}

/** The panels with the one at `index` replaced; width and height clamped to the grid. */
export function replacePanel(panels: readonly Panel[], index: number, panel: Panel): Panel[] {
  const clamp = (n: number, max: number) => Math.min(max, Math.max(1, Math.round(n) || 1));
  return panels.map((p, i) => (i === index ? { ...panel, w: clamp(panel.w, GRID_COLUMNS), h: clamp(panel.h, MAX_PANEL_HEIGHT) } : p));
}

/** What a panel is called on the page: its title, else what it shows. */
export function panelTitle(panel: Panel): string {
  if (panel.title) return panel.title;
  switch (panel.type) {
    case 'graph':
      return (panel.series ?? []).join(', ') || 'Graph';
    case 'value':
      return panel.series?.[0] ?? 'Value';
    case 'heatmap':
      return `Heatmap ${panel.view ?? panel.match ?? ''}`.trim();
    case 'alarms':
      return `Alarms of ${panel.match ?? '**'}`;
    default: {
      const never: never = panel.type;
      return never;
    }
  }
}

/** Dashboard names as the server takes them: lower-case letters, digits, _ and -, at most 64. */
export const DASHBOARD_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** A dashboard name made from a title ("Web servers" → "web-servers"). */
export function nameFromTitle(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|-+$/g, '')
    .slice(0, 64);
}
