/**
 * GET /api/v1/downtimes without a range, a page at a time (issue 14's
 * leftover), on a real server over loopback with its SQLite file: at most
 * `limit` downtimes (default and most 1,000) in start-then-id order, and
 * `next` to ask for the rest with `after`; walking the pages gives every
 * downtime once, in the order of one whole listing, with a series filter
 * too; a bad limit or after, or either with a range, is a 400 naming it.
 * `ringmon downtime list` follows the pages, so it still lists them all.
 */
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from '../helpers/api-call.js';
import { freePort } from '../helpers/free-port.js';
import { ringmonLauncher } from '../helpers/ringmon-process.js';
import { NO_SLURPERS, testServerYaml } from '../helpers/server-config.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** One more than the default page. */
const FILED = 1001;
let running: TestServer;

type Json = Record<string, any>; // any: assertions walk arbitrary JSON
const call = (method: 'GET' | 'POST', path: string, body?: unknown) => apiCall(running.server.url, method, path, running.tokens.admin, body);
const ids = (json: Json): number[] => json.downtimes.map((d: { id: number }) => d.id);

beforeAll(async () => {
  running = await startTestServer(
    testServerYaml({ port: await freePort(), dataDir: 'data', log: 'silent' }, NO_SLURPERS, { downtimes: { maxFiled: 2000, maxFiledPerAuthor: 2000 } }),
  );
  const soon = Math.floor(Date.now() / 1000) + 3600;
  for (let k = 0; k < FILED; k++) {
    // Ten starts, so that many downtimes share one and the id orders them; every third covers web.*.
    const series = k % 3 === 0 ? ['web.*'] : [`db${k}.*`];
    const filed = await call('POST', '/api/v1/downtimes', { scope: { series }, start: soon + ((k * 7) % 10) * 60, end: soon + 7200, reason: `d${k}` });
    expect(filed.status, JSON.stringify(filed.json)).toBe(201);
  }
}, 120_000);
afterAll(async () => running?.stop());

/** Every page of `query` with `limit`, following `next`. */
async function walk(query: string, limit: number): Promise<{ pages: number[][]; sizes: number[] }> {
  const pages: number[][] = [];
  let after: string | undefined;
  do {
    const page = await call('GET', `/api/v1/downtimes?${query}&limit=${limit}${after === undefined ? '' : `&after=${encodeURIComponent(after)}`}`);
    expect(page.status, JSON.stringify(page.json)).toBe(200);
    pages.push(ids(page.json));
    after = page.json.next;
    expect(pages.length).toBeLessThanOrEqual(FILED);
  } while (after !== undefined);
  return { pages, sizes: pages.map((p) => p.length) };
}

describe('GET /api/v1/downtimes without a range', () => {
  it('answers at most 1,000 downtimes, and the rest after next', async () => {
    const first = await call('GET', '/api/v1/downtimes');
    expect(first.status).toBe(200);
    expect(first.json.downtimes).toHaveLength(1000);
    expect(typeof first.json.next).toBe('string');
    const rest = await call('GET', `/api/v1/downtimes?after=${encodeURIComponent(first.json.next)}`);
    expect(rest.status).toBe(200);
    expect(rest.json.downtimes).toHaveLength(1);
    expect(rest.json.next).toBeUndefined();
    expect(new Set([...ids(first.json), ...ids(rest.json)]).size).toBe(FILED);
  });

  it('gives every downtime once, in start-then-id order, page by page', async () => {
    const { pages, sizes } = await walk('include=cancelled', 97);
    const all = pages.flat();
    expect(new Set(all).size).toBe(FILED);
    expect(sizes.slice(0, -1).every((n) => n === 97)).toBe(true);
    const head = (await call('GET', '/api/v1/downtimes?include=cancelled')).json;
    const whole = [...head.downtimes, ...(await call('GET', `/api/v1/downtimes?include=cancelled&after=${encodeURIComponent(head.next)}`)).json.downtimes];
    const order = whole.map((d: { id: number; start: string }) => [Date.parse(d.start), d.id]);
    expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    expect(all).toEqual(whole.map((d: { id: number }) => d.id));
  });

  it('pages a series filter too: only the downtimes covering it, each once', async () => {
    const { pages } = await walk('series=web.frontend', 50);
    expect(pages.flat()).toHaveLength(Math.ceil(FILED / 3));
    expect(new Set(pages.flat()).size).toBe(Math.ceil(FILED / 3));
    expect(pages.slice(0, -1).every((p) => p.length === 50)).toBe(true);
  });

  it('is listed whole by `ringmon downtime list`, which follows next', async () => {
    const launcher = ringmonLauncher(tmpdir());
    try {
      const listing = launcher.run(['downtime', 'list', '--json'], { RINGMON_URL: running.server.url, RINGMON_TOKEN: running.tokens.viewer });
      expect(await listing.exited, listing.output()).toBe(0);
      const listed = JSON.parse(listing.output()) as { downtimes: { id: number }[] };
      expect(new Set(listed.downtimes.map((d) => d.id)).size).toBe(FILED);
    } finally {
      launcher.killAll();
    }
  }, 60_000);

  it.each([
    ['limit=0', 'querystring/limit'],
    ['limit=1001', 'querystring/limit'],
    ['limit=ten', 'querystring/limit'],
    ['after=yesterday', 'querystring/after'],
    [`after=${'9'.repeat(60)}`, 'querystring/after'],
    ['limit=5&from=2026-01-01T00:00Z&to=2026-01-02T00:00Z', 'query/limit'],
    ['after=1700000000:3&active=true', 'query/after'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    const answer = await call('GET', `/api/v1/downtimes?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.json.error.problems.map((p: { field: string }) => p.field)).toContain(field);
  });
});
