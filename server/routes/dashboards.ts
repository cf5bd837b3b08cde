/**
 * /api/v1/dashboards: listing and reading saved dashboards (viewer role),
 * saving and deleting them (operator role: the people who keep the page
 * open are the ones on call, and a dashboard changes what they see; the
 * author is the token's name). A save names the version it edited; a stale
 * one is a 409, so two editors never overwrite each other unseen. Invalid
 * input is a 400 naming each field at fault and changes nothing.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DashboardConflictError, dashboardProblems, MAX_DASHBOARD_BYTES, UnknownDashboardError, type Dashboards } from '../dashboards/index.js';
import { ApiError } from '../errors.js';
import { dashboardOut, DashboardOut, DeleteQuery, ListOut, NameParams, SaveBody, summaryOut } from './dashboard-schemas.js';

export interface DashboardRoutesOptions {
  readonly dashboards: Dashboards;
  /** The clock, in Unix seconds. */
  readonly now?: () => number;
}

/** Runs a store operation, its refusals as 404 and 409 naming the field (`versionField` for a stale version). */
async function answer<T>(versionField: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (e) {
    if (e instanceof UnknownDashboardError) throw new ApiError('not_found', e.message, [{ field: 'params/name', message: e.message }]);
    if (e instanceof DashboardConflictError) throw new ApiError('conflict', e.message, [{ field: e.current === undefined ? 'params/name' : versionField, message: e.message }]);
    throw e;
  }
}

export const dashboardRoutes: FastifyPluginAsyncTypebox<DashboardRoutesOptions> = async (app, options) => {
  const { dashboards } = options;
  const now = options.now ?? (() => Date.now() / 1000);
  const author = (principal: { name: string } | null): string => principal?.name ?? 'anonymous';
  const tags = ['dashboards'];

  app.get(
    '/dashboards',
    { onRequest: app.requireRole('viewer'), schema: { summary: 'Every saved dashboard, by name, without its panels', tags, response: { 200: ListOut } } },
    async () => ({ dashboards: (await dashboards.list()).map(summaryOut) }),
  );

  app.get(
    '/dashboards/:name',
    { onRequest: app.requireRole('viewer'), schema: { summary: 'One dashboard with its panels', tags, params: NameParams, response: { 200: DashboardOut } } },
    async (request) => dashboardOut(await answer('', () => dashboards.get(request.params.name))),
  );

  app.put(
    '/dashboards/:name',
    {
      onRequest: app.requireRole('operator'),
      bodyLimit: MAX_DASHBOARD_BYTES,
      schema: {
        summary: 'Create or replace a dashboard',
        description: `Without version (or 0): create; with the current version: replace; any other version: 409. The body is at most ${MAX_DASHBOARD_BYTES / 1024} KiB (413).`,
        tags,
        params: NameParams,
        body: SaveBody,
        response: { 200: DashboardOut },
      },
    },
    async (request) => {
      const { version, ...draft } = request.body;
      const problems = dashboardProblems(draft).map((p) => ({ field: `body/${p.field}`, message: p.message }));
      if (problems.length > 0) throw new ApiError('invalid_request', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
      const saved = await answer('body/version', () => dashboards.save(request.params.name, draft, author(request.principal), version, now()));
      request.log.info({ dashboard: saved.name, version: saved.version, author: saved.author }, `dashboard ${saved.name} saved (version ${saved.version})`);
      return dashboardOut(saved);
    },
  );

  app.delete(
    '/dashboards/:name',
    {
      onRequest: app.requireRole('operator'),
      schema: { summary: 'Delete a dashboard', tags, params: NameParams, querystring: DeleteQuery, response: { 204: { type: 'null', description: 'deleted' } } },
    },
    async (request, reply) => {
      await answer('query/version', () => dashboards.remove(request.params.name, request.query.version));
      request.log.info({ dashboard: request.params.name, by: author(request.principal) }, `dashboard ${request.params.name} deleted`);
      return reply.code(204).send(null);
    },
  );
};
