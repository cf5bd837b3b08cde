/**
 * Times and names that cannot poison a series, on a real server over
 * loopback (HTTP and the Graphite listener, real journal and archives):
 * the poisoned samples (t = 1e11, 1e300, 315360001, the Graphite
 * line `seed.one 5 9999999999`, a 252-character segment) are refused at the
 * door and the series stays writable; a sample whose archive can never take
 * it is quarantined, counted in /metrics, and fetch answers 409, never 500.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../server/config/index.js';
import type { RunningServer } from '../../server/index.js';
import { archivePath, readQuarantine } from '../../server/store/index.js';
import { apiCall } from '../helpers/api-call.js';
import { freePort } from '../helpers/free-port.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let running: TestServer;
let server: RunningServer;
let config: ServerConfig;
let writer: string;
let viewer: string;
let admin: string;
const STEP = 10;
/** Step-aligned times in the last hour, so that each sample reads back as its own row. */
const BASE = Math.floor(Date.now() / 1000 / STEP) * STEP - 3600;

beforeAll(async () => {
  running = await startTestServer(
    `listen:\n  port: ${await freePort()}\ngraphite:\n  enabled: true\n  port: ${await freePort()}\nlog:\n  level: silent\nslurpers:\n  instances: []\n` +
      'archives:\n  rules:\n    - match: "**"\n      step: 10s\n      heartbeat: 20s\n      rras: [RRA:AVERAGE:0.5:1:1000]\n',
  );
  ({ server, config } = running);
  ({ writer, viewer, admin } = running.tokens);
});
afterAll(() => running.stop());

const post = (body: unknown) => apiCall(server.url, 'POST', '/api/v1/samples', writer, body);
const fetchSeries = (series: string) => apiCall(server.url, 'GET', `/api/v1/fetch?series=${series}&start=${BASE}&end=${BASE + 200}`, viewer);
const flush = () => apiCall(server.url, 'POST', '/api/v1/admin/flush', admin);
const metric = async (name: string): Promise<number> => {
  const res = await request(`${server.url}/metrics`, { headers: { authorization: `Bearer ${viewer}` } });
  const line = (await res.body.text()).split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
};
/** Good samples at BASE + k * STEP, posted, flushed and read back. */
async function writesAndReadsBack(series: string): Promise<void> {
  const ks = [1, 2, 3, 4, 5];
  expect((await post(ks.map((k) => ({ series, t: BASE + k * STEP, v: k })))).json).toEqual({ accepted: 5, rejected: [] });
  expect((await flush()).status).toBe(200);
  const answer = await fetchSeries(series);
  expect(answer.status).toBe(200);
  const rows = new Map<number, number | null>(answer.json.series[0].rows);
  expect(ks.map((k) => rows.get(BASE + k * STEP))).toEqual(ks);
}

describe('poisoned times and names are refused at the door', () => {
  it.each([
    ['t = 1e11', 1e11, /^100000000000 is \d{4} years ahead of the server clock \(\d+\); limits\.maxFutureSeconds is 300$/],
    ['t = 1e300', 1e300, /^1e\+300 is 3\.17e\+292 years ahead of the server clock/],
    ['t in milliseconds', Date.now(), /looks like milliseconds \(\d+ \/ 1000 = [\d.]+\)$/],
    ['t in microseconds', Date.now() * 1000, /looks like microseconds/],
    ['t = 315360001', 315_360_001, /^315360001 is before 317779200 \(1980-01-27\), the earliest time an archive can hold$/],
  ])('%s: 400 naming body/N/t, nothing of the batch stored, and the series stays writable', async (name, t, message) => {
    const series = `poison.${name.replace(/[^a-z0-9]/g, '_')}`;
    const answer = await post([
      { series: `${series}.other`, t: BASE + STEP, v: 1 },
      { series, t, v: 5 },
    ]);
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('invalid_request');
    expect(answer.json.error.problems).toEqual([{ field: 'body/1/t', message: expect.stringMatching(message) }]);
    expect(answer.json.error.message).toMatch(/^body\/1\/t: /);
    expect((await fetchSeries(`${series}.other`)).status).toBe(404);
    expect((await fetchSeries(series)).status).toBe(404);
    await writesAndReadsBack(series);
  });

  it('a 252-character segment: 400 naming body/0/series; a 200-character one is stored', async () => {
    // 254 characters in all: within limits.seriesNameLength, only the segment is too long.
    const answer = await post([{ series: `p.${'s'.repeat(252)}`, t: BASE + STEP, v: 1 }]);
    expect(answer.status).toBe(400);
    expect(answer.json.error.problems).toEqual([{ field: 'body/0/series', message: expect.stringContaining('{1,200}') }]);
    await writesAndReadsBack(`p.${'s'.repeat(200)}`);
    // A fetch of a name that cannot be a file is a 404, not a 500.
    expect((await fetchSeries(`p.${'s'.repeat(252)}`)).status).toBe(404);
  });

  it("the Graphite line 'seed.one 5 9999999999' is a bad line, counted in /metrics; seed.one stays writable", async () => {
    const before = await metric('ringmon_graphite_lines_invalid_total');
    const accepted = await metric('ringmon_graphite_lines_accepted_total');
    await new Promise<void>((resolve, reject) => {
      const socket = connect(server.graphite!.port, '127.0.0.1', () => socket.end(`seed.one 5 9999999999\nseed.one 6 315360001\nseed.one 7 ${BASE + 30}\n`));
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    // The protocol has no acknowledgement; the listener batches for up to 100 ms.
    for (let i = 0; i < 50 && (await metric('ringmon_graphite_lines_accepted_total')) === accepted; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await metric('ringmon_graphite_lines_invalid_total')).toBe(before + 2);
    expect(await metric('ringmon_graphite_lines_accepted_total')).toBe(accepted + 1);
    expect((await post([{ series: 'seed.one', t: BASE + 40, v: 8 }])).json).toEqual({ accepted: 1, rejected: [] });
    await flush();
    const rows = new Map<number, number | null>((await fetchSeries('seed.one')).json.series[0].rows);
    expect([rows.get(BASE + 30), rows.get(BASE + 40)]).toEqual([7, 8]);
  });
});

describe('a sample its archive can never take', () => {
  it('is quarantined: the journal moves on, /metrics counts it, fetch answers 409 and never 500', async () => {
    const path = archivePath(join(config.dataDir, 'archives'), 'broken.one');
    mkdirSync(path, { recursive: true });
    const quarantinedBefore = await metric('ringmon_samples_quarantined_total');
    const checkpointFile = join(config.dataDir, 'journal', 'checkpoint');
    expect((await flush()).status).toBe(200);
    const checkpointBefore = readFileSync(checkpointFile).readDoubleLE(8);
    expect((await post([1, 2, 3].map((k) => ({ series: 'broken.one', t: BASE + k * STEP, v: k })))).json).toEqual({ accepted: 3, rejected: [] });
    expect((await flush()).status).toBe(200);
    expect(await metric('ringmon_samples_quarantined_total')).toBe(quarantinedBefore + 3);
    expect(await metric('ringmon_samples_pending')).toBe(0);
    expect(readQuarantine(config.dataDir).filter((q) => q.series === 'broken.one').map((q) => [q.t, q.v])).toEqual([1, 2, 3].map((k) => [BASE + k * STEP, k]));
    // The checkpoint passed the batch (the one journal append since the last flush): nothing is held back for a replay.
    expect(readFileSync(checkpointFile).readDoubleLE(8)).toBe(checkpointBefore + 1);

    const answer = await fetchSeries('broken.one');
    expect(answer.status).toBe(409);
    expect(answer.json.error).toMatchObject({ code: 'conflict', message: "series 'broken.one': its archive cannot be read (EISDIR); see the server log" });
    // A damaged archive file: 409 too.
    const damaged = archivePath(join(config.dataDir, 'archives'), 'broken.two');
    mkdirSync(join(damaged, '..'), { recursive: true });
    writeFileSync(damaged, 'not an archive');
    expect((await fetchSeries('broken.two')).status).toBe(409);
    // The list leaves them out rather than failing.
    const listed = await apiCall(server.url, 'GET', '/api/v1/series?match=broken.*', viewer);
    expect(listed.status).toBe(200);
  });
});
