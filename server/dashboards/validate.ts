/**
 * What the JSON schema cannot say about a dashboard: which fields go with
 * which panel type, and that each series pattern is one the glob checker
 * accepts (server/config-schema/series-glob.ts). Problems are named by the
 * path the API spells them with, below the body: `panels/3/series/0`.
 */
import { checkSeriesGlob, checkSeriesName } from '../config-schema/index.js';
import type { DashboardDraft, Panel, PanelType } from './model.js';

export interface DashboardProblem {
  readonly field: string;
  readonly message: string;
}

type PanelField = Exclude<keyof Panel, 'type' | 'title' | 'w' | 'h'>;

/** The fields each panel type takes besides type, title, w and h; `required` must be present. */
const FIELDS: Record<PanelType, { readonly allowed: readonly PanelField[]; readonly required: readonly PanelField[] }> = {
  graph: { allowed: ['series', 'range', 'cf'], required: ['series'] },
  value: { allowed: ['series'], required: ['series'] },
  heatmap: { allowed: ['view', 'match', 'range'], required: [] },
  alarms: { allowed: ['match'], required: ['match'] },
};

const OPTIONAL_FIELDS: readonly PanelField[] = ['series', 'range', 'cf', 'view', 'match'];

function panelProblems(panel: Panel, at: string): DashboardProblem[] {
  const problems: DashboardProblem[] = [];
  const { allowed, required } = FIELDS[panel.type];
  for (const field of OPTIONAL_FIELDS) {
    const present = panel[field] !== undefined;
    if (present && !allowed.includes(field)) problems.push({ field: `${at}/${field}`, message: `is not a field of a ${panel.type} panel (it takes ${allowed.join(', ')})` });
    if (!present && required.includes(field)) problems.push({ field: `${at}/${field}`, message: `is required for a ${panel.type} panel` });
  }
  const series = panel.series ?? [];
  if (panel.type === 'value' && series.length !== 1) problems.push({ field: `${at}/series`, message: 'a value panel shows exactly one series' });
  series.forEach((s, i) => {
    // A value panel shows one series' last value: a name, not a pattern.
    const problem = panel.type === 'value' ? checkSeriesName(s) : checkSeriesGlob(s);
    if (problem !== undefined) problems.push({ field: `${at}/series/${i}`, message: problem });
  });
  if (panel.match !== undefined) {
    const problem = checkSeriesGlob(panel.match);
    if (problem !== undefined) problems.push({ field: `${at}/match`, message: problem });
  }
  if (panel.type === 'heatmap' && (panel.view === undefined) === (panel.match === undefined)) {
    problems.push({ field: `${at}/view`, message: 'a heatmap panel names either a configured view or a match pattern' });
  }
  return problems;
}

/** Every problem of the draft past its JSON schema; empty when it may be stored. */
export function dashboardProblems(draft: DashboardDraft): DashboardProblem[] {
  const problems: DashboardProblem[] = [];
  if (draft.title.trim() === '') problems.push({ field: 'title', message: 'must not be blank' });
  draft.panels.forEach((panel, i) => problems.push(...panelProblems(panel, `panels/${i}`)));
  return problems;
}
