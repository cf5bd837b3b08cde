/**
 * `reports`: scheduled summaries of what was not OK over a period (since the
 * report's last run), one mail per report run with a CSV attachment, the CSV
 * and the HTML also kept under `<dataDir>/reports/` for `keep` (server/reports).
 * Each report lists the series it matches that were not OK at some time in
 * the period, grouped by their first `groupBy` segments (`site.host`).
 */
import { validateDetailed } from 'node-cron';
import { Type, type Static } from 'typebox';
import { ALARM_STATUSES } from '../alarms/model.js';
import {
  checkMatch,
  ConfigError,
  defineSection,
  durationSeconds,
  EXPECTED,
  formatKeyPath,
  matchSchema,
  nameSchema,
  strictObject,
  type ConfigProblem,
  type SectionValue,
  unknownRecipientProblems,
} from '../config-schema/index.js';
import { isTimeZone } from '../downtimes/time-zone.js';

export const DEFAULT_REPORT_STATUSES = ['WARNING', 'CRITICAL', 'NODATA'] as const;

const DAY = 86_400;
/** How long a run's CSV and HTML are kept by default: a quarter, as audits ask for. */
export const DEFAULT_REPORT_KEEP_SECONDS = 90 * DAY;
/** Most heatmaps one report embeds: each may weigh up to MAX_HEATMAP_PNG_BYTES in the outbox and the mail. */
export const MAX_REPORT_HEATMAPS = 8;

export const ReportSchema = strictObject({
  /** Also the start of its archive files' names, hence the narrow alphabet. */
  name: nameSchema('a report name', { maxLength: 64 }),
  cron: Type.String({ minLength: 1, [EXPECTED]: 'a cron expression such as "30 0 * * *"' }),
  timezone: Type.String({ minLength: 1, default: 'UTC', [EXPECTED]: 'an IANA time zone such as UTC or Europe/Berlin' }),
  /** Names from `alarms.recipients`; checked against them by checkReportRecipients, as a section check sees only its own section. */
  notify: Type.Array(nameSchema('a recipient name'), {
    minItems: 1,
    [EXPECTED]: 'a non-empty list of recipient names from alarms.recipients',
  }),
  match: matchSchema({ default: '**' }),
  groupBy: Type.Integer({ minimum: 1, maximum: 32, default: 2 }),
  statuses: Type.Array(Type.Enum(ALARM_STATUSES), { minItems: 1, default: [...DEFAULT_REPORT_STATUSES] }),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  /** How long each run's archived CSV and HTML are kept; older ones are removed at each run and at start. */
  keep: durationSeconds({ minimum: DAY, maximum: 3660 * DAY, default: DEFAULT_REPORT_KEEP_SECONDS }),
  /** Names from `heatmaps.views`, each drawn as a PNG into the mail and the archive (report-heatmaps.ts); checked by checkReportHeatmaps. */
  heatmaps: Type.Optional(
    Type.Array(nameSchema('a heatmap view name from heatmaps.views', { maxLength: 64 }), {
      maxItems: MAX_REPORT_HEATMAPS,
      [EXPECTED]: `a list of at most ${MAX_REPORT_HEATMAPS} view names from heatmaps.views`,
    }),
  ),
});
export type ReportSetting = Static<typeof ReportSchema>;

/** The problem with a cron expression, as node-cron sees it; undefined when node-cron accepts it. */
function cronProblem(expression: string): string | undefined {
  const result = validateDetailed(expression);
  if (result.valid) return undefined;
  const why = result.errors.map((e) => (e.field === 'expression' ? e.message : `${e.field}: ${e.message}`)).join('; ');
  return `must be a cron expression (minute hour day month weekday, optionally seconds first), got ${JSON.stringify(expression)}${why === '' ? '' : ` (${why})`}`;
}

export const reportsSection = defineSection({
  schema: Type.Array(ReportSchema, { default: [] }),
  check: (reports, report) => {
    const names = new Set<string>();
    reports.forEach((setting, i) => {
      if (names.has(setting.name)) report([i, 'name'], `'${setting.name}' names another report too; report names must be unique`);
      names.add(setting.name);
      const cron = cronProblem(setting.cron);
      if (cron !== undefined) report([i, 'cron'], cron);
      if (!isTimeZone(setting.timezone)) report([i, 'timezone'], `must be an IANA time zone such as UTC or Europe/Berlin, got ${JSON.stringify(setting.timezone)}`);
      checkMatch(setting.match, [i, 'match'], report);
      const statuses = new Set<string>();
      setting.statuses.forEach((status, j) => {
        if (statuses.has(status)) report([i, 'statuses', j], `'${status}' is listed twice`);
        statuses.add(status);
      });
      setting.heatmaps?.forEach((view, j, all) => {
        if (all.indexOf(view) !== j) report([i, 'heatmaps', j], `'${view}' is listed twice`);
      });
    });
  },
});

/** The `reports` section as loaded: the list of reports. */
export type ReportsSettings = SectionValue<typeof reportsSection.schema>;

/**
 * The reports' recipients that `alarms.recipients` does not define, one
 * problem each, keyed `reports[i].notify[j]`. Needed because a section's
 * check cannot see the other sections.
 */
export function reportRecipientProblems(reports: readonly { readonly notify: readonly string[] }[], recipients: readonly string[]): ConfigProblem[] {
  const known = new Set(recipients);
  return reports.flatMap((setting, i) =>
    unknownRecipientProblems(setting.notify, ['reports', i, 'notify'], known),
  );
}

/** Throws ConfigError (no source file) when a report notifies a recipient `alarms.recipients` lacks. */
export function checkReportRecipients(reports: readonly { readonly notify: readonly string[] }[], recipients: readonly string[]): void {
  const problems = reportRecipientProblems(reports, recipients);
  if (problems.length > 0) throw new ConfigError(undefined, problems);
}

/**
 * The reports' heatmaps that `heatmaps.views` does not define, one problem
 * each, keyed `reports[i].heatmaps[j]` (as for recipients: a section's check
 * cannot see the other sections).
 */
export function reportHeatmapProblems(reports: readonly { readonly heatmaps?: readonly string[] }[], views: readonly string[]): ConfigProblem[] {
  const known = new Set(views);
  const listed = views.length === 0 ? 'none are configured' : `configured: ${views.join(', ')}`;
  return reports.flatMap((setting, i) =>
    (setting.heatmaps ?? []).flatMap((view, j) => (known.has(view) ? [] : [{ key: formatKeyPath(['reports', i, 'heatmaps', j]), message: `no heatmap view '${view}' in heatmaps.views (${listed})` }])),
  );
}

/** Throws ConfigError (no source file) when a report embeds a heatmap view `heatmaps.views` lacks. */
export function checkReportHeatmaps(reports: readonly { readonly heatmaps?: readonly string[] }[], views: readonly string[]): void {
  const problems = reportHeatmapProblems(reports, views);
  if (problems.length > 0) throw new ConfigError(undefined, problems);
}
