/**
 * Dashboards: named grids of panels saved in the database with their
 * author, and versions that keep two editors from overwriting each other.
 * Open with Dashboards.open(source); see docs/web.md, "Dashboards".
 */
export { dashboardsSection, type DashboardsSettings } from './config-section.js';
export { Dashboards } from './dashboards.js';
export { DashboardConflictError, DashboardError, UnknownDashboardError } from './errors.js';
export {
  DASHBOARD_NAME_PATTERN,
  GRID_COLUMNS,
  MAX_DASHBOARD_BYTES,
  MAX_DASHBOARDS,
  MAX_NAME_LENGTH,
  MAX_PANEL_HEIGHT,
  MAX_PANEL_SERIES,
  MAX_PANELS,
  MAX_TITLE_LENGTH,
  PANEL_CFS,
  PANEL_RANGES,
  PANEL_TYPES,
  type Dashboard,
  type DashboardDraft,
  type DashboardSummary,
  type Panel,
  type PanelType,
} from './model.js';
export { dashboardProblems, type DashboardProblem } from './validate.js';
