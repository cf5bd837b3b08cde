/**
 * GET /api/v1/feeds/NAME.atom|rss over real HTTP from a real `ringmon
 * serve` process: alarm transitions made by posting samples, the feed read
 * by a real feed parser (rss-parser) and its entries compared with
 * GET /api/v1/alarms/history; narrowing by the query, bounds with a 400
 * naming the field; a feed's URL token opening that feed and nothing else
 * (the same token anywhere else is a 401), rotated by rewriting its file;
 * and the server's log never holding a token, though a token was in URLs.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Parser from 'rss-parser';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { launcherInTempDir, type ServedFolder } from '../../helpers/ringmon-process.js';
import { until } from '../../helpers/wait.js';

const { dir, launcher } = launcherInTempDir('ringmon-feeds-');
const PUBLIC = 'https://monitor.example.test/ringmon';
const TESTBED_TOKEN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90aabbccddeeff0011';
const LAB_TOKEN = 'labtoken-0123456789abcdef-0123456789';
const ROTATED_TOKEN = 'rotated-token-fedcba9876543210fedcba';
const tokens = {} as Record<'viewer' | 'ingest', string>;
let served: ServedFolder;
const parser = new Parser();

interface Transition {
  readonly id: number;
  readonly series: string;
  readonly from: string;
  readonly to: string;
  readonly at: string;
}

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; text: string; headers: Record<string, unknown> }> {
  const res = await request(`${served.base}${path}`, { headers });
  return { status: res.statusCode, type: String(res.headers['content-type']), text: await res.body.text(), headers: res.headers };
}
const asViewer = (path: string, headers: Record<string, string> = {}) => get(path, { authorization: `Bearer ${tokens.viewer}`, ...headers });

function secretFile(name: string, token: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

let clock = Math.floor(Date.now() / 1000) - 600;
async function post(series: string, ...values: number[]): Promise<void> {
  for (const v of values) {
    const res = await apiCall(served.base, 'POST', '/api/v1/samples', tokens.ingest, [{ series, t: ++clock, v }]);
    expect(res.json).toEqual({ accepted: 1, rejected: [] });
  }
}

const history = async (): Promise<Transition[]> => (await apiCall(served.base, 'GET', '/api/v1/alarms/history', tokens.viewer)).json.transitions as Transition[];

beforeAll(async () => {
  const tokensFile = join(dir, 'tokens');
  tokens.viewer = addToken(tokensFile, 'reader', 'viewer');
  tokens.ingest = addToken(tokensFile, 'loader', 'ingest');
  writeFileSync(join(dir, 'nodes.yaml'), 'tb1:\n  name: "Testbed <one> & co"\nlab1:\n  name: Lab one\n');
  const config = {
    slurpers: { instances: [] },
    archives: { default: { step: '1s', heartbeat: '5s', rras: ['RRA:AVERAGE:0.5:1:3600'] } },
    metadata: { file: join(dir, 'nodes.yaml'), key: '*.{node}.temp' },
    alarms: { publicUrl: PUBLIC, groupWait: 0, rules: [{ name: 'temp', match: '*.*.temp', warning: '> 50', critical: '> 90', unit: '°C' }] },
    feeds: [
      { name: 'testbed', title: 'Testbed problems', match: 'testbed.**', statuses: ['CRITICAL', 'OK'], tokenFile: secretFile('testbed.token', TESTBED_TOKEN) },
      { name: 'lab', match: ['lab.**'], tokenFile: secretFile('lab.token', LAB_TOKEN) },
    ],
  };
  served = await launcher.serveIn(dir, { tokensFile, log: 'info' }, config);
  // tb1: OK>WARNING>CRITICAL, tb2: OK>CRITICAL, tb1: CRITICAL>OK, lab1: OK>CRITICAL>OK.
  await post('testbed.tb1.temp', 10, 60, 95);
  await post('testbed.tb2.temp', 95);
  await post('testbed.tb1.temp', 20);
  await post('lab.lab1.temp', 95, 5);
  await until(async () => (await history()).length === 6, 'six transitions in the history', 30_000);
}, 120_000);

describe('the Atom feed', () => {
  it('is read by a feed parser, its entries the transitions of its series and states, newest first', async () => {
    const res = await asViewer('/api/v1/feeds/testbed.atom');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/atom+xml; charset=utf-8');
    const feed = await parser.parseString(res.text);
    expect(feed.title).toBe('Testbed problems');
    const wanted = (await history()).filter((t) => t.series.startsWith('testbed.') && ['CRITICAL', 'OK'].includes(t.to));
    expect(wanted).toHaveLength(3);
    expect(feed.items.map((i) => i.title)).toEqual([
      'OK: Testbed <one> & co: testbed.tb1.temp = 20 °C (was CRITICAL)',
      'CRITICAL: testbed.tb2.temp = 95 °C (> 90)',
      'CRITICAL: Testbed <one> & co: testbed.tb1.temp = 95 °C (> 90)',
    ]);
    expect(feed.items.map((i) => i.isoDate)).toEqual(wanted.map((t) => new Date(t.at).toISOString()));
    expect(feed.items.map((i) => i.link)).toEqual(wanted.map((t) => `${PUBLIC}/?view=graph&s=${encodeURIComponent(t.series)}`));
    expect(feed.items[0].summary).toContain('changed from CRITICAL to OK at');
    // Ids: one per transition, stable from poll to poll, the same in RSS.
    const ids = feed.items.map((i) => (i as { id?: string }).id);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const again = await parser.parseString((await asViewer('/api/v1/feeds/testbed.atom')).text);
    expect(again.items.map((i) => (i as { id?: string }).id)).toEqual(ids);
    const rss = await parser.parseString((await asViewer('/api/v1/feeds/testbed.rss')).text);
    expect(rss.items.map((i) => i.guid)).toEqual(ids);
  });

  it('as RSS 2.0 says the same', async () => {
    const res = await asViewer('/api/v1/feeds/testbed.rss');
    expect(res.type).toBe('application/rss+xml; charset=utf-8');
    const rss = await parser.parseString(res.text);
    const atom = await parser.parseString((await asViewer('/api/v1/feeds/testbed.atom')).text);
    expect(rss.title).toBe('Testbed problems');
    expect(rss.items.map((i) => [i.title, i.link, i.isoDate])).toEqual(atom.items.map((i) => [i.title, i.link, i.isoDate]));
    expect(rss.items.map((i) => i.categories)).toEqual([['OK'], ['CRITICAL'], ['CRITICAL']]);
  });

  it('the built-in alarms feed holds every transition, as the history lists them', async () => {
    const feed = await parser.parseString((await asViewer('/api/v1/feeds/alarms.atom')).text);
    const all = await history();
    expect(feed.items.map((i) => i.isoDate)).toEqual(all.map((t) => new Date(t.at).toISOString()));
    expect(feed.items.map((i) => i.title?.split(':')[0])).toEqual(all.map((t) => t.to));
  });

  it('is narrowed by the query, never widened', async () => {
    const titles = async (query: string): Promise<string[]> => (await parser.parseString((await asViewer(`/api/v1/feeds/testbed.atom?${query}`)).text)).items.map((i) => i.title ?? '');
    expect(await titles('state=CRITICAL')).toHaveLength(2);
    expect(await titles('match=testbed.tb2.*')).toEqual(['CRITICAL: testbed.tb2.temp = 95 °C (> 90)']);
    expect(await titles('limit=1')).toHaveLength(1);
    expect(await titles('state=WARNING')).toEqual([]); // not among the feed's states
    expect(await titles('match=lab.**')).toEqual([]); // not among the feed's series
  });

  it('answers an unchanged feed with 304 to the reader that sends its ETag back', async () => {
    const first = await asViewer('/api/v1/feeds/testbed.atom');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"/);
    expect((await asViewer('/api/v1/feeds/testbed.atom', { 'if-none-match': etag })).status).toBe(304);
  });

  it('refuses every out-of-bounds parameter with a 400 naming it, and an unknown feed with a 404', async () => {
    const cases: [string, string][] = [
      ['limit=0', 'querystring/limit'],
      ['limit=501', 'querystring/limit'],
      ['limit=ten', 'querystring/limit'],
      ['state=BROKEN', 'querystring/state/0'],
      ['match=a..b', 'querystring/match'],
      [`match=${'a'.repeat(1025)}`, 'querystring/match'],
      [`token=${'t'.repeat(257)}`, 'querystring/token'],
      ['token=a&token=b', 'querystring/token'],
    ];
    for (const [query, field] of cases) {
      const res = await asViewer(`/api/v1/feeds/testbed.atom?${query}`);
      expect(res.status, query).toBe(400);
      expect(JSON.stringify(JSON.parse(res.text).error), query).toContain(field);
    }
    for (const path of ['/api/v1/feeds/testbed.xml', '/api/v1/feeds/Testbed.atom', `/api/v1/feeds/${'a'.repeat(65)}.atom`]) {
      const res = await asViewer(path);
      expect(res.status, path).toBe(400);
      expect(res.text, path).toContain('params/feed');
    }
    expect((await asViewer('/api/v1/feeds/nosuch.atom')).status).toBe(404);
  });
});

describe("a feed's URL token", () => {
  it('opens its feed without a header', async () => {
    const res = await get(`/api/v1/feeds/testbed.atom?token=${TESTBED_TOKEN}`);
    expect(res.status).toBe(200);
    expect((await parser.parseString(res.text)).items).toHaveLength(3);
    expect((await get(`/api/v1/feeds/lab.rss?token=${LAB_TOKEN}`)).status).toBe(200);
  });

  it('opens nothing else: another feed, the built-in one, or any other route is a 401', async () => {
    const elsewhere = [
      '/api/v1/feeds/lab.atom',
      '/api/v1/feeds/alarms.atom',
      '/api/v1/feeds/nosuch.atom',
      '/api/v1/alarms',
      '/api/v1/alarms/history',
      '/api/v1/series',
      '/api/v1/notifications',
      '/metrics',
    ];
    for (const path of elsewhere) {
      const res = await get(`${path}?token=${TESTBED_TOKEN}`);
      expect(res.status, path).toBe(401);
      expect(res.text, path).not.toContain(TESTBED_TOKEN);
      // Nor as a bearer token.
      expect((await get(path, { authorization: `Bearer ${TESTBED_TOKEN}` })).status, `${path} with the header`).toBe(401);
    }
    expect((await get('/api/v1/feeds/testbed.atom', { authorization: `Bearer ${TESTBED_TOKEN}` })).status).toBe(401);
  });

  it('a wrong one is a 401 even beside a good viewer header; an ingest token is a 403', async () => {
    expect((await asViewer('/api/v1/feeds/testbed.atom?token=wrong-token-0123456789')).status).toBe(401);
    expect((await get('/api/v1/feeds/testbed.atom', { authorization: `Bearer ${tokens.ingest}` })).status).toBe(403);
    expect((await get('/api/v1/feeds/testbed.atom')).status).toBe(401);
  });

  it('is rotated by rewriting its file: the old one stops, the new one opens', async () => {
    secretFile('testbed.token', ROTATED_TOKEN);
    await until(async () => (await get(`/api/v1/feeds/testbed.atom?token=${ROTATED_TOKEN}`)).status === 200, 'the new token to open the feed');
    expect((await get(`/api/v1/feeds/testbed.atom?token=${TESTBED_TOKEN}`)).status).toBe(401);
  });
});

describe('the request log', () => {
  it('never holds a token, though tokens were sent in URLs', async () => {
    await until(() => served.proc.output().includes('token=[Redacted]'), 'the request log of a feed URL');
    const log = served.proc.output();
    for (const token of [TESTBED_TOKEN, LAB_TOKEN, ROTATED_TOKEN, tokens.viewer, tokens.ingest]) expect(log).not.toContain(token);
    expect(log).toContain('/api/v1/feeds/testbed.atom?token=[Redacted]');
    expect(log).toContain('"principal":"feed:testbed"');
  });
});
