/**
 * What one fetch may return (issue 14): a real `ringmon serve` with its heap
 * capped (so today's unbounded fetch dies in seconds instead of eating the
 * machine) answers the requests that took the server down with a quick 400
 * naming the field, stays up with a bounded peak RSS, and still answers the
 * largest allowed fetch (limits.fetchMaxRows rows across its series) whole,
 * row for row as the archive holds it (to the answer's 12 significant digits), while /healthz keeps answering.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchive, fetchArchive, updateArchive, type ArchiveDefinition, type FetchResult } from '../../../archive/index.js';
import { addToken } from '../../../server/auth/token-file.js';
import { archivePath } from '../../../server/store/series-paths.js';
import { JSON_DIGITS } from '../../../server/routes/fetch-answer.js';
import { roundSignificant } from '../../../lib/significant-digits.js';
import { freePort } from '../../helpers/free-port.js';

const root = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ringmon-fetch-bounds-'));
const NOW = Math.floor(Date.now() / 1000);
const STEP = 60;
/** Each `wide.*` archive keeps half the default limit of fine rows, so two of them make the largest allowed answer. */
const WIDE_ROWS = 500_000;
/** The server's heap is capped here: an answer built whole (today's code) dies; a streamed one fits. */
const HEAP_MB = 160;

let child: ChildProcess | undefined;
let stderr = '';
let base = '';
let viewer = '';

const definition = (rras: ArchiveDefinition['rras']): ArchiveDefinition => ({
  step: STEP,
  dataSources: [{ name: 'value', type: 'GAUGE', heartbeat: 3 * STEP, min: NaN, max: NaN }],
  rras,
});

/** An archive for `series` under the server's data dir, with `count` samples ending at NOW. */
function seed(series: string, def: ArchiveDefinition, count: number): void {
  const path = archivePath(join(dir, 'data', 'archives'), series);
  mkdirSync(dirname(path), { recursive: true });
  const last = NOW - (NOW % STEP);
  const first = last - (count - 1) * STEP;
  createArchive(path, def, { start: first - STEP, initialRow: () => 0 });
  const samples = Array.from({ length: count }, (_, k) => ({ time: first + k * STEP, values: [((k * 7919) % 10_000) / 100] }));
  for (let i = 0; i < samples.length; i += 50_000) updateArchive(path, samples.slice(i, i + 50_000));
}

/** The archive's rows as the JSON answer gives them: values to JSON_DIGITS significant digits. */
function archiveRows(series: string, options: { start: number; end: number; resolution?: number }): FetchResult {
  const result = fetchArchive(archivePath(join(dir, 'data', 'archives'), series), { cf: 'AVERAGE', ...options });
  const rows = result.rows.map(([t, ...values]): FetchResult['rows'][number] => [t, ...values.map((v) => (v === null ? null : roundSignificant(v, JSON_DIGITS)))]);
  return { ...result, rows };
}

/** One GET that gives up (and fails the test) after `ms`, rather than hang on a server that grinds. */
async function get(path: string, ms = 5_000): Promise<{ status: number; text: string; elapsed: number }> {
  const started = performance.now();
  const res = await request(`${base}${path}`, { headers: { authorization: `Bearer ${viewer}` }, headersTimeout: ms, bodyTimeout: ms });
  const text = await res.body.text();
  return { status: res.statusCode, text, elapsed: performance.now() - started };
}

/** The server's resident set now (VmRSS) or at its peak so far (VmHWM), in MiB. */
function rssMiB(which: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${child!.pid}/status`, 'utf8');
  return Number(new RegExp(`${which}:\\s+(\\d+) kB`).exec(status)![1]) / 1024;
}

/** The server's RSS once it answers /healthz, for the report. */
let startRss = 0;

/** /healthz latencies (ms), one request after another, for as long as `during` runs. */
async function healthLatencies(during: () => Promise<void>): Promise<number[]> {
  let done = false;
  const running = during().finally(() => (done = true));
  const latencies: number[] = [];
  while (!done) {
    const t = performance.now();
    const res = await request(`${base}/healthz`, { headersTimeout: 5_000 });
    await res.body.dump();
    latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 5));
  }
  await running;
  return latencies;
}

const p99 = (latencies: readonly number[]): number => [...latencies].sort((a, b) => a - b)[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))];

beforeAll(async () => {
  seed('a.b', definition([
    { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 2880 },
    { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 60, rows: 24 * 400 },
  ]), 2880);
  for (const s of ['wide.one', 'wide.two']) seed(s, definition([{ cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: WIDE_ROWS }]), 100_000);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const config = join(dir, 'ringmon.yaml');
  writeFileSync(config, `listen:\n  port: ${port}\ndataDir: ${join(dir, 'data')}\nlog:\n  level: warn\n`);
  viewer = addToken(join(dir, 'data', 'tokens'), 'eve', 'viewer');
  child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, join(root, 'bin', 'ringmon.js'), 'serve', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  for (let i = 0; ; i++) {
    try {
      const res = await request(`${base}/healthz`);
      await res.body.dump();
      if (res.statusCode === 200) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || i > 600) throw new Error(`server did not come up: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  startRss = rssMiB('VmRSS');
}, 120_000);

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/v1/fetch bounds', () => {
  const refusals: [what: string, query: string, field: string][] = [
    ['end 1e9 s out (the out-of-memory case)', `series=a.b&start=${NOW - 3600}&end=${NOW - 3600 + 1e9}`, 'querystring/end'],
    ['end 1e8 s out (the 180 MB answer)', `series=a.b&start=${NOW - 3600}&end=${NOW - 3600 + 1e8}`, 'querystring/end'],
    ['start 0, end 1e12 (past a 10 s timeout)', `series=a.b&start=0&end=1000000000000`, 'querystring/start'],
    ['two series whose rows together pass the limit', `series=wide.one&series=wide.two&series=a.b&start=${NOW - (WIDE_ROWS - 1) * STEP}&end=${NOW}`, 'querystring/end'],
    ['points that archives without coarse rows cannot give', `series=wide.one&series=wide.two&series=a.b&start=${NOW - (WIDE_ROWS - 1) * STEP}&end=${NOW}&points=1000`, 'querystring/points'],
  ];
  for (const [what, query, field] of refusals) {
    it(`refuses ${what} within 1 s, naming ${field}`, async () => {
      const answer = await get(`/api/v1/fetch?${query}`);
      expect(answer.status, answer.text.slice(0, 300)).toBe(400);
      const body = JSON.parse(answer.text) as { error: { message: string; problems: { field: string; message: string }[] } };
      expect(body.error.problems.map((p) => p.field)).toContain(field);
      if (field === 'querystring/end') expect(body.error.message).toMatch(/limits\.fetchMaxRows.*narrower range, or points=/s);
      if (field === 'querystring/points') expect(body.error.message).toMatch(/limits\.fetchMaxRows.*narrower range/s);
      expect(answer.elapsed).toBeLessThan(1000);
      expect(child!.exitCode).toBeNull();
    });
  }

  it('stays up with a bounded peak RSS after the refusals', async () => {
    const health = await get('/healthz');
    expect(health.status).toBe(200);
    expect(rssMiB('VmHWM')).toBeLessThan(400);
  });

  it('answers a wide range with points from the coarse RRA, as the archive does', async () => {
    const start = NOW - 300 * 86400;
    const answer = await get(`/api/v1/fetch?series=a.b&start=${start}&end=${NOW}&points=500`);
    expect(answer.status, answer.text.slice(0, 300)).toBe(200);
    const [fetched] = (JSON.parse(answer.text) as { series: (FetchResult & { series: string })[] }).series;
    const expected = archiveRows('a.b', { start, end: NOW, resolution: Math.floor((NOW - start) / 500) });
    expect(fetched.step).toBe(3600);
    expect(fetched).toEqual({ series: 'a.b', ...expected });
  });

  it('streams the largest allowed answer whole while /healthz keeps answering', async () => {
    const start = NOW - (WIDE_ROWS - 1) * STEP - (NOW % STEP);
    const end = NOW - (NOW % STEP);
    // /healthz alone first: on a loaded machine its latency is not all the fetch's doing.
    const idle = await healthLatencies(async () => new Promise((r) => setTimeout(r, 1_000)));
    const started = performance.now();
    let status = 0;
    const chunks: Buffer[] = [];
    const busy = await healthLatencies(async () => {
      // The body kept as it comes, decoded after: this test process stays free to time /healthz.
      const res = await request(`${base}/api/v1/fetch?series=wide.one&series=wide.two&start=${start}&end=${end}`, { headers: { authorization: `Bearer ${viewer}` }, headersTimeout: 60_000, bodyTimeout: 60_000 });
      status = res.statusCode;
      for await (const chunk of res.body) chunks.push(chunk as Buffer);
    });
    const elapsed = performance.now() - started;
    const text = Buffer.concat(chunks).toString('utf8');
    expect(status, text.slice(0, 300)).toBe(200);
    const got = (JSON.parse(text) as { series: (FetchResult & { series: string })[] }).series;
    expect(got.map((s) => s.rows.length)).toEqual([WIDE_ROWS, WIDE_ROWS]);
    for (const fetched of got) expect(fetched).toEqual({ series: fetched.series, ...archiveRows(fetched.series, { start, end }) });
    console.log(
      `largest allowed fetch: ${(text.length / 2 ** 20).toFixed(1)} MiB in ${elapsed.toFixed(0)} ms; /healthz p99 ${p99(busy).toFixed(1)} ms over ${busy.length} ` +
        `(idle p99 ${p99(idle).toFixed(1)} ms); server RSS ${startRss.toFixed(0)} MiB at start, ${rssMiB('VmHWM').toFixed(0)} MiB peak`,
    );
    expect(p99(busy)).toBeLessThan(100 + p99(idle));
    expect(rssMiB('VmHWM')).toBeLessThan(400);
  }, 120_000);

  it('shows the bounds in the OpenAPI document', async () => {
    const doc = JSON.parse((await get('/docs/json')).text) as { paths: Record<string, { get: { description: string; parameters: { name: string; schema: Record<string, unknown> }[] } }> };
    const route = doc.paths['/api/v1/fetch'].get;
    expect(route.description).toMatch(/1000000 rows.*limits\.fetchMaxRows/s);
    const param = (name: string) => route.parameters.find((p) => p.name === name)!.schema;
    expect(param('start').minimum).toBeGreaterThanOrEqual(315_360_000);
    expect(param('end').maximum).toBeDefined();
    expect(param('points').maximum).toBeDefined();
  });
});
