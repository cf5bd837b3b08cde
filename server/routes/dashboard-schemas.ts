/**
 * The dashboard API's JSON shapes (OpenAPI via typebox), every field
 * bounded, and the conversion of a stored dashboard into its answer.
 */
import { Type } from 'typebox';
import {
  DASHBOARD_NAME_PATTERN,
  GRID_COLUMNS,
  MAX_NAME_LENGTH,
  MAX_PANEL_HEIGHT,
  MAX_PANEL_SERIES,
  MAX_PANELS,
  MAX_TITLE_LENGTH,
  PANEL_CFS,
  PANEL_RANGES,
  PANEL_TYPES,
  type Dashboard,
  type DashboardSummary,
} from '../dashboards/index.js';
import { MAX_GLOB_LENGTH } from '../config-schema/index.js';
import { TimeOut, timeOut } from './schema-parts.js';

const Name = Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, pattern: DASHBOARD_NAME_PATTERN, description: 'lower-case letters, digits, _ and -: the id in ?view=dashboard&d=NAME' });
const Title = Type.String({ minLength: 1, maxLength: MAX_TITLE_LENGTH });
const Pattern = Type.String({ minLength: 1, maxLength: MAX_GLOB_LENGTH, description: 'a series pattern: * within a segment, ** for whole segments' });

export const Panel = Type.Object(
  {
    type: Type.Enum(PANEL_TYPES, { description: 'graph: series, range, cf; value: series (one name); heatmap: view or match, range; alarms: match' }),
    title: Type.Optional(Type.String({ maxLength: MAX_TITLE_LENGTH })),
    w: Type.Integer({ minimum: 1, maximum: GRID_COLUMNS, description: `width in grid columns (the grid has ${GRID_COLUMNS})` }),
    h: Type.Integer({ minimum: 1, maximum: MAX_PANEL_HEIGHT, description: 'height in grid rows' }),
    series: Type.Optional(Type.Array(Pattern, { minItems: 1, maxItems: MAX_PANEL_SERIES, description: 'graph: series names or patterns; value: the one series name' })),
    range: Type.Optional(Type.Enum(PANEL_RANGES, { description: 'the time range, ending now; default 1d' })),
    cf: Type.Optional(Type.Enum(PANEL_CFS, { description: 'consolidation function; default AVERAGE' })),
    view: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'heatmap: a configured heatmap view (GET /api/v1/heatmaps)' })),
    match: Type.Optional(Pattern),
  },
  { additionalProperties: false },
);

export const NameParams = Type.Object({ name: Name });

export const SaveBody = Type.Object(
  {
    title: Title,
    panels: Type.Array(Panel, { maxItems: MAX_PANELS }),
    version: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31, description: 'the version edited: absent or 0 to create, the current version to replace (otherwise 409)' })),
  },
  { additionalProperties: false },
);

export const DeleteQuery = Type.Object({
  version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 31, description: 'delete only if still this version (otherwise 409)' })),
});

const stamps = {
  name: Type.String(),
  title: Type.String(),
  author: Type.String({ description: 'the name of the token that saved this version' }),
  created: TimeOut,
  updated: TimeOut,
  version: Type.Integer(),
};

export const DashboardOut = Type.Object({ ...stamps, panels: Type.Array(Panel) });
export const ListOut = Type.Object({ dashboards: Type.Array(Type.Object({ ...stamps, panelCount: Type.Integer() })) });

/** The stamps of a dashboard or its summary, times as ISO 8601. */
export function summaryOut<T extends Dashboard | DashboardSummary>(d: T): Omit<T, 'created' | 'updated'> & { created: string; updated: string } {
  return { ...d, created: timeOut(d.created), updated: timeOut(d.updated) };
}

export function dashboardOut(d: Dashboard) {
  return { ...summaryOut(d), panels: d.panels.map((p) => ({ ...p, series: p.series && [...p.series] })) };
}
