/**
 * The role × route matrix, route by route, over real HTTP: a real
 * `ringmon serve` with a real token file holding one token of each role.
 *
 * The routes come from the server's own OpenAPI document (/docs/json), so a
 * route added without a decided role here fails the test. For every route
 * and every role (and no token at all) the same valid request is sent: a
 * role the route's role is granted to must get a 2xx, any other role a 403,
 * no token a 401, a public route a 2xx for everyone. Requests that change a
 * thing act on a fixture made for them (a downtime to patch, cancel or end),
 * so each allowed call can succeed. The OpenAPI document must name the same
 * role (x-ringmon-role) as this matrix, and refused ingests must have stored
 * nothing.
 *
 * This matrix is the one in docs/security.md: change both together.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { addToken, roleIncludes, ROLES, type Role, type RouteRole } from '../../../server/auth/token-file.js';
import { apiCall, type ApiAnswer } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { launcherInTempDir } from '../../helpers/ringmon-process.js';
import { NO_SLURPERS, ONE_SECOND_ARCHIVES, opsMail, testServerYaml } from '../../helpers/server-config.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Call {
  readonly path: string;
  readonly body?: unknown;
}
/** A route's decided role, and a valid request to it for `who` (fixtures made with the admin token). */
interface RouteCase {
  readonly needs: RouteRole | 'public';
  readonly call: (who: string) => Call | Promise<Call>;
}

const { dir, launcher } = launcherInTempDir('ringmon-role-matrix-');
let base = '';
const tokens = {} as Record<Role, string>;
const now = (): number => Math.floor(Date.now() / 1000);

const admin = (method: Method, path: string, body?: unknown): Promise<ApiAnswer> => apiCall(base, method, path, tokens.admin, body);
/** A fresh downtime for one call to change, cancel or end. */
async function freshDowntime(who: string): Promise<number> {
  const made = await admin('POST', '/api/v1/downtimes', { kind: 'unplanned', scope: { series: [`matrix.${who}.*`] }, start: now() - 60, reason: `fixture for ${who}` });
  expect(made.status).toBe(201);
  return made.json.id as number;
}

/** A fresh dashboard for one call to read or delete. */
let dashboardsMade = 0;
async function freshDashboard(who: string): Promise<string> {
  const name = `matrix-${who}-${++dashboardsMade}`;
  const saved = await apiCall(base, 'PUT', `/api/v1/dashboards/${name}`, tokens.admin, { title: `fixture for ${who}`, panels: [{ type: 'alarms', w: 4, h: 2, match: 'matrix.**' }] });
  expect(saved.status).toBe(200);
  return name;
}

/** A fresh agent, known by its heartbeat, for one call to remove. */
async function freshAgent(who: string): Promise<string> {
  const name = `retired-${who}`;
  const beat = await admin('POST', '/api/v1/agents/heartbeat', { name, hostname: `${name}.example`, version: '0.1.0', spooledSamples: 0, instances: [] });
  expect(beat.status).toBe(204);
  return name;
}

/** A fresh CRITICAL alarm (rule matrix-ack) for one call to acknowledge; acknowledged already by the admin when `acked`. */
async function freshBadAlarm(who: string, acked = false): Promise<string> {
  const series = `matrix.ack.${acked ? 'un' : ''}${who}`;
  expect((await admin('POST', '/api/v1/samples', [{ series, t: now() - 1, v: 1 }])).status).toBe(200);
  for (let i = 0; i < 100 && (await admin('GET', `/api/v1/alarms?series=${series}&state=CRITICAL`)).json.alarms.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  if (acked) expect((await admin('POST', '/api/v1/alarms/ack', { series, comment: 'fixture' })).status).toBe(200);
  return series;
}

/** Every route of the API and the role it needs. A new route must be added here (and to docs/security.md). */
const MATRIX: Record<string, RouteCase> = {
  'GET /healthz': { needs: 'public', call: () => ({ path: '/healthz' }) },
  'GET /metrics': { needs: 'viewer', call: () => ({ path: '/metrics' }) },
  'POST /api/v1/samples': { needs: 'ingest', call: (who) => ({ path: '/api/v1/samples', body: [{ series: `matrix.in.${who}`, t: now() - 1, v: 1 }] }) },
  'POST /api/v1/agents/heartbeat': {
    needs: 'ingest',
    call: (who) => ({ path: '/api/v1/agents/heartbeat', body: { name: `agent-${who}`, hostname: `${who}.example`, version: '0.1.0', spooledSamples: 0, instances: [] } }),
  },
  'GET /api/v1/series': { needs: 'viewer', call: () => ({ path: '/api/v1/series?match=matrix.**' }) },
  'GET /api/v1/fetch': { needs: 'viewer', call: () => ({ path: `/api/v1/fetch?series=matrix.base&start=${now() - 60}&end=${now()}` }) },
  'GET /api/v1/heatmap': { needs: 'viewer', call: () => ({ path: '/api/v1/heatmap?match=matrix.*&bucket=1h' }) },
  'GET /api/v1/heatmaps': { needs: 'viewer', call: () => ({ path: '/api/v1/heatmaps' }) },
  'GET /api/v1/agents': { needs: 'viewer', call: () => ({ path: '/api/v1/agents' }) },
  'GET /api/v1/nodes': { needs: 'viewer', call: () => ({ path: '/api/v1/nodes' }) },
  'GET /api/v1/metadata': { needs: 'viewer', call: () => ({ path: '/api/v1/metadata' }) },
  'DELETE /api/v1/agents/{name}': { needs: 'admin', call: async (who) => ({ path: `/api/v1/agents/${await freshAgent(who)}` }) },
  'GET /api/v1/alarms': { needs: 'viewer', call: () => ({ path: '/api/v1/alarms' }) },
  'GET /api/v1/alarms/history': { needs: 'viewer', call: () => ({ path: '/api/v1/alarms/history' }) },
  'GET /api/v1/feeds/{feed}': { needs: 'viewer', call: () => ({ path: '/api/v1/feeds/alarms.atom' }) },
  'GET /api/v1/rules': { needs: 'viewer', call: () => ({ path: '/api/v1/rules' }) },
  'POST /api/v1/alarms/ack': { needs: 'operator', call: async (who) => ({ path: '/api/v1/alarms/ack', body: { series: await freshBadAlarm(who), comment: `seen by ${who}` } }) },
  'POST /api/v1/alarms/unack': { needs: 'operator', call: async (who) => ({ path: '/api/v1/alarms/unack', body: { series: await freshBadAlarm(who, true) } }) },
  'POST /api/v1/rules/try': { needs: 'operator', call: () => ({ path: '/api/v1/rules/try', body: { rule: { name: 'matrix', match: 'matrix.*', critical: '> 80' }, from: now() - 3600 } }) },
  'GET /api/v1/notifications': { needs: 'operator', call: () => ({ path: '/api/v1/notifications' }) },
  'GET /api/v1/status': { needs: 'public', call: () => ({ path: '/api/v1/status' }) },
  'GET /status': { needs: 'public', call: () => ({ path: '/status' }) },
  'GET /status/style.css': { needs: 'public', call: () => ({ path: '/status/style.css' }) },
  'GET /api/v1/downtimes': { needs: 'viewer', call: () => ({ path: '/api/v1/downtimes' }) },
  'GET /api/v1/downtimes/{id}': { needs: 'viewer', call: async (who) => ({ path: `/api/v1/downtimes/${await freshDowntime(who)}` }) },
  'GET /api/v1/downtimes/{id}/history': { needs: 'viewer', call: async (who) => ({ path: `/api/v1/downtimes/${await freshDowntime(who)}/history` }) },
  'POST /api/v1/downtimes': {
    needs: 'operator',
    call: (who) => ({ path: '/api/v1/downtimes', body: { scope: { series: [`matrix.${who}.*`] }, start: now() + 3600, end: now() + 7200, reason: `planned by ${who}` } }),
  },
  'PATCH /api/v1/downtimes/{id}': { needs: 'operator', call: async (who) => ({ path: `/api/v1/downtimes/${await freshDowntime(who)}`, body: { reason: `changed by ${who}` } }) },
  'DELETE /api/v1/downtimes/{id}': { needs: 'operator', call: async (who) => ({ path: `/api/v1/downtimes/${await freshDowntime(who)}` }) },
  'POST /api/v1/downtimes/{id}/end': { needs: 'operator', call: async (who) => ({ path: `/api/v1/downtimes/${await freshDowntime(who)}/end` }) },
  'GET /api/v1/dashboards': { needs: 'viewer', call: () => ({ path: '/api/v1/dashboards' }) },
  'GET /api/v1/dashboards/{name}': { needs: 'viewer', call: async (who) => ({ path: `/api/v1/dashboards/${await freshDashboard(who)}` }) },
  'PUT /api/v1/dashboards/{name}': { needs: 'operator', call: (who) => ({ path: `/api/v1/dashboards/saved-by-${who}`, body: { title: `saved by ${who}`, panels: [{ type: 'graph', w: 6, h: 3, series: ['matrix.base'] }] } }) },
  'DELETE /api/v1/dashboards/{name}': { needs: 'operator', call: async (who) => ({ path: `/api/v1/dashboards/${await freshDashboard(who)}` }) },
  'POST /api/v1/admin/flush': { needs: 'admin', call: () => ({ path: '/api/v1/admin/flush' }) },
  'POST /api/v1/admin/reshape': { needs: 'admin', call: () => ({ path: '/api/v1/admin/reshape', body: { series: 'matrix.base', step: 2 } }) },
  'POST /api/v1/admin/reload': { needs: 'admin', call: () => ({ path: '/api/v1/admin/reload' }) },
  'GET /api/v1/admin/quarantine': { needs: 'admin', call: () => ({ path: '/api/v1/admin/quarantine' }) },
  'POST /api/v1/reports/{name}/run': { needs: 'admin', call: () => ({ path: '/api/v1/reports/daily/run' }) },
  'GET /api/v1/reports': { needs: 'viewer', call: () => ({ path: '/api/v1/reports' }) },
  'GET /api/v1/reports/{name}/runs/{file}': { needs: 'viewer', call: async () => ({ path: `/api/v1/reports/daily/runs/${basename((await admin('POST', '/api/v1/reports/daily/run')).json.file)}` }) },
};

/** Who calls: each role's token, and nobody (no Authorization header). */
const CALLERS = [...ROLES, 'anonymous'] as const;
type Caller = (typeof CALLERS)[number];

function expected(needs: RouteCase['needs'], caller: Caller): '2xx' | 401 | 403 {
  if (needs === 'public') return '2xx';
  if (caller === 'anonymous') return 401;
  return roleIncludes(caller, needs) ? '2xx' : 403;
}

let documented: Map<string, string>;

/** One request, its answer as text (/metrics is not JSON). */
async function send(method: Method, path: string, token: string | undefined, body: unknown): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await request(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.statusCode, text: await res.body.text() };
}

beforeAll(async () => {
  const port = await freePort();
  const tokensFile = join(dir, 'tokens');
  for (const role of ROLES) tokens[role] = addToken(tokensFile, `${role}-token`, role);
  // The status page on (its routes are public), with openReads off: every other route still needs a token.
  const status = { status: { groups: [{ name: 'all', nodes: '**', series: 'matrix.**' }] } };
  const ackFixtures = { alarms: { rules: [{ name: 'matrix-ack', match: 'matrix.ack.*', critical: '> 0' }] } };
  const config = testServerYaml({ port, dataDir: join(dir, 'data'), log: 'warn', tokensFile }, ONE_SECOND_ARCHIVES, NO_SLURPERS, opsMail(await freePort()), status, ackFixtures);
  writeFileSync(join(dir, 'ringmon.yaml'), config);
  base = `http://127.0.0.1:${port}`;
  await launcher.serve(join(dir, 'ringmon.yaml'), base, 60_000);
  expect((await admin('POST', '/api/v1/samples', [{ series: 'matrix.base', t: now() - 2, v: 1 }])).status).toBe(200);
  expect((await admin('POST', '/api/v1/admin/flush')).status).toBe(200);
  const openapi = await apiCall(base, 'GET', '/docs/json', undefined);
  documented = new Map();
  for (const [path, methods] of Object.entries(openapi.json.paths as Record<string, Record<string, Record<string, unknown>>>)) {
    for (const [method, operation] of Object.entries(methods)) documented.set(`${method.toUpperCase()} ${path}`, String(operation['x-ringmon-role']));
  }
}, 90_000);

/** The route table of docs/security.md: each route in backquotes, with the role of its row ('nothing (public)': public). */
function documentedRoles(): Record<string, string> {
  const text = readFileSync(new URL('../../../docs/security.md', import.meta.url), 'utf8');
  const table = text.slice(text.indexOf('| route | needs |'));
  const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
  const roles: Record<string, string> = {};
  for (const row of rows) {
    const cells = row.split(' | ');
    const needs = cells[cells.length - 1].replace(/ \|$/, '').trim();
    for (const [, route] of cells[0].matchAll(/`((?:GET|POST|PUT|PATCH|DELETE) \/[^`]*)`/g)) roles[route] = needs === 'nothing (public)' ? 'public' : needs;
  }
  return roles;
}

describe('the role × route matrix', () => {
  it('has a decided role for every route of the OpenAPI document, and the document names the same role', () => {
    const undecided = [...documented.keys()].filter((route) => !(route in MATRIX));
    expect(undecided, 'routes with no role decided in this matrix (and docs/security.md)').toEqual([]);
    const gone = Object.keys(MATRIX).filter((route) => !documented.has(route));
    expect(gone, 'routes in the matrix the server no longer has').toEqual([]);
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(Object.entries(MATRIX).map(([route, { needs }]) => [route, needs])));
  });

  it('is the route table of docs/security.md, route for route', () => {
    expect(documentedRoles()).toEqual(Object.fromEntries(Object.entries(MATRIX).map(([route, { needs }]) => [route, needs])));
  });

  it('answers every route × role as the matrix says: 2xx where the role is granted, 403 where not, 401 without a token', async () => {
    const mismatches: string[] = [];
    for (const [route, routeCase] of Object.entries(MATRIX)) {
      const method = route.split(' ')[0] as Method;
      for (const caller of CALLERS) {
        const { path, body } = await routeCase.call(caller);
        const answer = await send(method, path, caller === 'anonymous' ? undefined : tokens[caller], body);
        const want = expected(routeCase.needs, caller);
        const got = answer.status >= 200 && answer.status < 300 ? '2xx' : answer.status;
        if (got !== want) mismatches.push(`${route} as ${caller}: ${answer.status} (want ${want}) ${answer.text.slice(0, 200)}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);

  it('changed nothing on a refused request: only the roles granted ingest have their series, a refused removal left its agent, a refused save or delete changed no dashboard', async () => {
    expect((await admin('POST', '/api/v1/admin/flush')).status).toBe(200);
    const listed = await admin('GET', '/api/v1/series?match=matrix.in.*');
    const names = (listed.json.series as Array<{ series: string }>).map((s) => s.series).sort();
    expect(names).toEqual(['matrix.in.admin', 'matrix.in.ingest', 'matrix.in.writer']);
    const agents = await admin('GET', '/api/v1/agents');
    expect(JSON.stringify(agents.json)).not.toMatch(/"agent-(viewer|operator|anonymous)"/);
    expect(JSON.stringify(agents.json)).toMatch(/"retired-viewer"/); // a refused removal removed nothing
    const dashboards = (await admin('GET', '/api/v1/dashboards')).json.dashboards as Array<{ name: string }>;
    expect(dashboards.map((d) => d.name).filter((n) => n.startsWith('saved-by-')).sort()).toEqual(['saved-by-admin', 'saved-by-operator', 'saved-by-writer']);
    expect(dashboards.filter((d) => d.name.startsWith('matrix-viewer-'))).toHaveLength(2); // a refused delete (and the read) left both
  });
});
