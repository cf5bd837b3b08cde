/**
 * POST /api/v1/reports/:name/run (admin): runs a scheduled report now, as
 * its schedule would (the CSV archived, the mail queued in the outbox), for
 * a report someone needs before its time or to try a new one out.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../errors.js';
import type { Reports } from '../reports/index.js';

export interface ReportRoutesOptions {
  readonly reports: Pick<Reports, 'runNow'>;
  readonly names: readonly string[];
}

export const reportRoutes: FastifyPluginAsyncTypebox<ReportRoutesOptions> = async (app, options) => {
  app.post(
    '/reports/:name/run',
    {
      onRequest: app.requireRole('admin'),
      schema: {
        summary: 'Run a scheduled report now',
        tags: ['alarms'],
        params: Type.Object({ name: Type.String({ maxLength: 64 }) }),
        response: {
          200: Type.Object({
            subject: Type.String(),
            file: Type.String({ description: 'the CSV archived in the data directory' }),
            notOk: Type.Integer({ description: 'series listed' }),
            groups: Type.Integer(),
          }),
        },
      },
    },
    async (request) => {
      const { name } = request.params;
      if (!options.names.includes(name)) {
        const message = `no report named '${name}' (configured: ${options.names.join(', ') || 'none'})`;
        throw new ApiError('not_found', message, [{ field: 'params/name', message }]);
      }
      const run = await options.reports.runNow(name);
      return { subject: run.report.subject, file: run.file, notOk: run.notOk, groups: run.groups.length };
    },
  );
};
