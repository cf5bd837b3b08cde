/**
 * The reports' API:
 *
 * - POST /api/v1/reports/:name/run (admin): runs a report now, as its
 *   schedule would (since its last run; the CSV and HTML archived, the mail
 *   queued in the outbox), or over `from`/`to` (at most MAX_WINDOW_SECONDS,
 *   not in the future), which leaves the report's mark alone.
 * - GET /api/v1/reports (viewer): the configured reports and their archived
 *   runs, newest first, `limit` runs per report (paged by `before`).
 * - GET /api/v1/reports/:name/runs/:file (viewer): one archived CSV, HTML
 *   or heatmap PNG (image/png; the archived HTML shows it by relative name).
 *   Only a name of the report's own archive form is read (report-name.ts),
 *   so a `..` or `/` is refused (400 by the pattern, 404 naming params/file).
 *
 * Viewer, as GET /api/v1/alarms and /api/v1/downtimes: a report holds what
 * they show (series, states, values, downtime reasons) and neither
 * recipients nor contacts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { InvalidDowntimeError, parseInstant } from '../downtimes/index.js';
import { ApiError } from '../errors.js';
import { listRuns, MAX_WINDOW_SECONDS, readRun, ReportRunError, TooMuchHistoryError, type ArchiveKind, type ReportDefinition, type Reports } from '../reports/index.js';
import { TimeIn } from './downtime-schemas.js';
import { Nullable, TimeOut, timeOut } from './schema-parts.js';

export interface ReportRoutesOptions {
  readonly reports: Pick<Reports, 'runNow' | 'lastEnd'>;
  readonly definitions: readonly Pick<ReportDefinition, 'name' | 'title' | 'cron' | 'timezone' | 'keep'>[];
  /** Where the runs are archived; without it the listing and download routes are absent. */
  readonly dataDir?: string;
  /** The clock, Unix seconds; default the system's. */
  readonly now?: () => number;
}

/** Runs listed per report at most in one answer, and by default. */
export const MAX_LISTED_RUNS = 500;
const DEFAULT_LISTED_RUNS = 50;

const CONTENT_TYPES: Readonly<Record<ArchiveKind, string>> = { csv: 'text/csv; charset=utf-8', html: 'text/html; charset=utf-8', png: 'image/png' };

const NameParam = Type.String({ maxLength: 64, description: 'the report name (reports[].name)' });

const notFound = (field: string, message: string): ApiError => new ApiError('not_found', message, [{ field, message }]);
const invalid = (field: string, message: string): ApiError => new ApiError('invalid_request', `${field}: ${message}`, [{ field, message }]);

function timeOf(field: string, value: number | string): number {
  const t = parseInstant(value);
  if (typeof t === 'string') throw invalid(field, t);
  return t;
}

/**
 * A run refused because its window holds more than one run reads (alarm
 * changes, downtime windows) is the range's fault: a 400 naming `to`, which
 * a shorter range fixes. Any other failure is the server's (a 5xx).
 */
function overLimit(error: unknown): never {
  const cause = error instanceof ReportRunError ? error.cause : undefined;
  if (cause instanceof TooMuchHistoryError) throw invalid('querystring/to', cause.message);
  if (cause instanceof InvalidDowntimeError) throw invalid('querystring/to', `the planned downtimes in the range: ${cause.problems.map((p) => p.message).join('; ')}`);
  throw error;
}

export const reportRoutes: FastifyPluginAsyncTypebox<ReportRoutesOptions> = async (app, options) => {
  const names = options.definitions.map((d) => d.name);
  const now = options.now ?? ((): number => Date.now() / 1000);
  const known = (name: string): void => {
    if (!names.includes(name)) throw notFound('params/name', `no report named '${name}' (configured: ${names.join(', ') || 'none'})`);
  };

  app.post(
    '/reports/:name/run',
    {
      onRequest: app.requireRole('admin'),
      schema: {
        summary: 'Run a report now: since its last run, or over a range',
        tags: ['alarms'],
        params: Type.Object({ name: NameParam }),
        querystring: Type.Object({
          from: Type.Optional(Type.Union([TimeIn], { description: 'with to: the start of the range to report on; without both: since the last run' })),
          to: Type.Optional(Type.Union([TimeIn], { description: `with from: the end of the range (exclusive), not in the future; at most ${MAX_WINDOW_SECONDS / 86_400} days after from` })),
        }),
        response: {
          200: Type.Object({
            subject: Type.String(),
            file: Type.String({ description: 'the CSV archived in the data directory' }),
            html: Type.String({ description: 'the HTML archived beside it' }),
            from: TimeOut,
            to: TimeOut,
            notOk: Type.Integer({ description: 'series listed that were not OK in the window' }),
            groups: Type.Integer(),
          }),
        },
      },
    },
    async (request) => {
      const { name } = request.params;
      known(name);
      const { from, to } = request.query;
      if ((from === undefined) !== (to === undefined)) throw invalid(from === undefined ? 'querystring/from' : 'querystring/to', 'from and to go together: give both, or neither for the time since the last run');
      let window: { from: number; to: number } | undefined;
      if (from !== undefined && to !== undefined) {
        window = { from: timeOf('querystring/from', from), to: timeOf('querystring/to', to) };
        if (window.to <= window.from) throw invalid('querystring/to', 'must be after from');
        if (window.to > now() + 60) throw invalid('querystring/to', 'is in the future: a report covers what has happened');
        if (window.to - window.from > MAX_WINDOW_SECONDS) throw invalid('querystring/to', `the range is longer than ${MAX_WINDOW_SECONDS / 86_400} days, the longest a report covers`);
      }
      const run = await options.reports.runNow(name, window).catch(overLimit);
      return { subject: run.report.subject, file: run.file, html: run.html, from: timeOut(run.window.from), to: timeOut(run.window.to), notOk: run.notOk, groups: run.groups.length };
    },
  );

  const { dataDir } = options;
  if (dataDir === undefined) return;

  const RunOut = Type.Object({
    run: Type.String({ description: 'the run\'s minute, as its files are named: 2026-11-24T0030Z' }),
    at: TimeOut,
    files: Type.Array(Type.Object({ kind: Type.Enum(['csv', 'html', 'png']), file: Type.String(), bytes: Type.Integer(), url: Type.String({ description: 'where to download it' }) })),
  });

  app.get(
    '/reports',
    {
      onRequest: app.requireRole('viewer'),
      schema: {
        summary: 'The reports and their archived runs',
        tags: ['alarms'],
        querystring: Type.Object({
          name: Type.Optional(Type.String({ maxLength: 64, description: 'only this report' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LISTED_RUNS, description: `runs per report, newest first (default ${DEFAULT_LISTED_RUNS})` })),
          before: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{4}Z$', maxLength: 16, description: "only runs before this one: a report's `next`" })),
        }),
        response: {
          200: Type.Object({
            reports: Type.Array(
              Type.Object({
                name: Type.String(),
                title: Nullable(Type.String(), 'the mail subject\'s title; null: the name'),
                cron: Type.String(),
                timezone: Type.String(),
                keepSeconds: Type.Integer({ description: 'how long runs are kept' }),
                lastEnd: Nullable(TimeOut, 'where its last scheduled period ended: the next starts there'),
                runs: Type.Array(RunOut),
                next: Type.Optional(Type.String({ description: 'more runs follow: pass as before' })),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { name, limit = DEFAULT_LISTED_RUNS, before } = request.query;
      if (name !== undefined) known(name);
      const chosen = options.definitions.filter((d) => name === undefined || d.name === name);
      const reports = [];
      for (const definition of chosen) {
        const all = (await listRuns(dataDir, definition.name)).filter((run) => before === undefined || run.stamp < before);
        const page = all.slice(0, limit);
        const lastEnd = await options.reports.lastEnd(definition.name);
        reports.push({
          name: definition.name,
          title: definition.title ?? null,
          cron: definition.cron,
          timezone: definition.timezone,
          keepSeconds: definition.keep,
          lastEnd: lastEnd === undefined ? null : timeOut(lastEnd),
          runs: page.map((run) => ({
            run: run.stamp,
            at: timeOut(run.at),
            files: [
              ...(['html', 'csv'] as const).flatMap((kind) => {
                const file = run.files[kind];
                return file === undefined ? [] : [{ kind, file: file.file, bytes: file.bytes, url: `/api/v1/reports/${encodeURIComponent(definition.name)}/runs/${encodeURIComponent(file.file)}` }];
              }),
              ...run.images.map((image) => ({ kind: 'png' as const, file: image.file, bytes: image.bytes, url: `/api/v1/reports/${encodeURIComponent(definition.name)}/runs/${encodeURIComponent(image.file)}` })),
            ],
          })),
          ...(all.length > limit ? { next: page[page.length - 1].stamp } : {}),
        });
      }
      return { reports };
    },
  );

  app.get(
    '/reports/:name/runs/:file',
    {
      onRequest: app.requireRole('viewer'),
      schema: {
        summary: "Download an archived report run's CSV or HTML",
        tags: ['alarms'],
        params: Type.Object({
          name: NameParam,
          file: Type.String({
            maxLength: 160,
            pattern: '^[a-z0-9][a-z0-9_-]*-[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{4}Z(\\.(csv|html)|-[a-z0-9][a-z0-9_-]*\\.png)$',
            description: 'a file the listing names: <name>-<minute>Z.csv or .html, or <name>-<minute>Z-<view>.png',
          }),
        }),
        response: { 200: Type.String({ description: 'the CSV (text/csv), the HTML (text/html) or a heatmap (image/png)' }) },
      },
    },
    async (request, reply) => {
      const { name, file } = request.params;
      known(name);
      const found = await readRun(dataDir, name, file);
      if (found === undefined) throw notFound('params/file', `report ${name} has no archived file '${file}' (GET /api/v1/reports lists them)`);
      // The HTML is the report's own, with operators' text escaped; it still runs nothing, loads nothing and is not framed.
      // Its heatmaps are the run's PNGs beside it, by relative name (img-src 'self').
      if (found.kind === 'html') reply.header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'");
      return reply
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `${found.kind === 'csv' ? 'attachment' : 'inline'}; filename="${file}"`)
        .header('cache-control', 'private, no-cache')
        .type(CONTENT_TYPES[found.kind])
        // A PNG's bytes go out as they are (fastify serializes no Buffer); the schema's string stands for the file.
        .send(found.content as string);
    },
  );
};
