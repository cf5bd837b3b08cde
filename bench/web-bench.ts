/**
 * Web client benchmark: a real server and headless Chromium loading the
 * overview and two graphs of 20 series, each by today's path and the
 * previous one in the same run:
 *
 *   a day at 10 s   20 series × 8,640 rows (the archives hold only 10 s rows)
 *   a year          20 series of hourly samples, read from their 6-hour RRA
 *
 * The graph's path (graph-fetch.ts) asks the server to consolidate to the
 * chart's width with the MIN/MAX envelope (width=N&format=compact); the
 * rows path, selected by sessionStorage `ringmon.graphFetch=rows`, asks for
 * about a row a pixel as [time, value] JSON and thins them in the browser.
 * Times, from the start of navigation (a fresh page each run, the bundle in
 * the browser's cache as it is for a returning user), until the view is on
 * screen: the marks `rm:overview-painted` and `rm:graph-painted` the client
 * sets one frame after drawing; with the /api/v1/fetch answer's size and
 * when it had arrived. Targets: the overview 1 s, the day graph 250 ms, the
 * year graph 400 ms. Run it alone with `npx tsx bench/index.ts web`.
 */
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../test/web/helpers/browser.js';
import { startWebTestServer } from '../test/web/helpers/web-server.js';

export interface WebBenchResult {
  readonly name: string;
  /** Median over the runs, in ms from navigation start. */
  readonly ms: number;
  readonly runs: readonly number[];
  readonly targetMs: number;
  /** Graph: median ms from navigation until the /api/v1/fetch answer had arrived (the server's share and the download). */
  readonly fetchedMs: number;
  /** Graph: bytes of the /api/v1/fetch answer. */
  readonly bytes: number;
  /** Graph: values the API answered, and points chart.js drew. */
  readonly rows: number;
  readonly points: number;
}

const RUNS = 5;
const DAY = 86_400;
const YEAR = 365 * DAY;
const STEP = 10;
const HOUR = 3600;

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Timed {
  readonly runs: number[];
  readonly fetched: number[];
  readonly bytes: number;
  readonly rows: number;
  readonly points: number;
}

async function timeView(browser: Browser, url: string, token: string, mark: string, rowsPath = false): Promise<Timed> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(`sessionStorage.setItem('ringmon.token', ${JSON.stringify(token)})`);
  if (rowsPath) await context.addInitScript(`sessionStorage.setItem('ringmon.graphFetch', 'rows')`);
  const times: number[] = [];
  const fetched: number[] = [];
  let points = 0;
  let rows = 0;
  let bytes = 0;
  // The first load fills the browser's cache and the server's open archives; it is not counted.
  for (let i = 0; i <= RUNS; i++) {
    const page = await context.newPage();
    await page.goto(url);
    const at = await page.waitForFunction((name) => performance.getEntriesByName(name)[0]?.startTime, mark, { timeout: 60_000 });
    if (i > 0) times.push(Number(await at.jsonValue()));
    if (mark === 'rm:graph-painted') {
      const answered = await page.evaluate(() => performance.getEntriesByType('resource').find((e) => e.name.includes('/api/v1/fetch?'))?.toJSON() as { responseEnd: number; encodedBodySize: number } | undefined);
      if (i > 0 && answered) fetched.push(answered.responseEnd);
      bytes = answered?.encodedBodySize ?? 0;
      points = Number(await page.locator('rm-graph-view').getAttribute('data-painted'));
      rows = Number(await page.locator('rm-graph-view').getAttribute('data-rows'));
    }
    await page.close();
  }
  await context.close();
  return { runs: times, fetched, bytes, rows, points };
}

const result = (name: string, targetMs: number, t: Timed): WebBenchResult => ({ name, ms: median(t.runs), runs: t.runs, targetMs, fetchedMs: t.fetched.length ? median(t.fetched) : 0, bytes: t.bytes, rows: t.rows, points: t.points });

function report(r: WebBenchResult): void {
  const graph = r.points ? `; answer ${(r.bytes / 1e6).toFixed(2)} MB, ${r.rows.toLocaleString('en')} values, complete at ${Math.round(r.fetchedMs)} ms; ${r.points.toLocaleString('en')} points drawn` : '';
  console.log(`  ${r.name}: painted ${Math.round(r.ms)} ms after navigation (median of ${r.runs.length}: ${r.runs.map((x) => Math.round(x)).join(', ')} ms${graph})`);
  if (r.targetMs > 0) console.log(`    ratio to the ${r.targetMs} ms target = ${(r.ms / r.targetMs).toFixed(2)} (${r.ms <= r.targetMs ? 'within' : 'OVER'})`);
}

export async function runWebBench({ scale = 1 }: { scale?: number } = {}): Promise<WebBenchResult[]> {
  const seriesCount = Math.max(1, Math.min(100, Math.round(20 * scale)));
  const web = await startWebTestServer({
    archives: [
      '  default: { step: 10s, heartbeat: 20s, retentions: "10s:2d", cfs: [AVERAGE] }',
      '  rules:',
      // A year's archive as the built-in template keeps it at an hourly step: hours for a month, 6-hour rows for a year.
      '    - { match: "year.**", step: 1h, heartbeat: 2h, retentions: "1h:30d,6h:1y", cfs: [AVERAGE, MIN, MAX] }',
    ],
  });
  let browser: Browser | undefined;
  try {
    const end = Math.floor(Date.now() / 1000 / HOUR) * HOUR;
    const day = Array.from({ length: seriesCount }, (_, i) => `bench.host${String(i).padStart(2, '0')}.load`);
    const year = Array.from({ length: seriesCount }, (_, i) => `year.host${String(i).padStart(2, '0')}.load`);
    const samples: [string, number, number][] = [];
    for (let t = end - DAY; t <= end; t += STEP) for (const [i, name] of day.entries()) samples.push([name, t, Math.sin(t / 3600 + i) * 10 + i]);
    for (let t = end - YEAR - DAY; t <= end; t += HOUR) for (const [i, name] of year.entries()) samples.push([name, t, Math.sin(t / (7 * DAY) + i) * 10 + i + (t % (5 * DAY) === 0 ? 30 : 0)]);
    const ingestStart = performance.now();
    await web.ingest(samples);
    console.log(
      `web client in headless Chromium: ${seriesCount} series × 1 day at ${STEP} s and ${seriesCount} × 1 year at 1 h ` +
        `(${samples.length.toLocaleString('en')} samples, ingested in ${Math.round(performance.now() - ingestStart)} ms)`,
    );
    browser = await launchBrowser();
    const graphUrl = (names: readonly string[], span: number) => `${web.url}/?view=graph&${names.map((n) => `s=${n}`).join('&')}&from=${end - span}&to=${end}`;
    const results = [result('overview', 1000, await timeView(browser, `${web.url}/`, web.viewer, 'rm:overview-painted'))];
    for (const [what, names, span, target] of [[`${seriesCount} series × 1 day at ${STEP} s`, day, DAY, 250], [`${seriesCount} series × 1 year`, year, YEAR, 400]] as const) {
      const before = result(`graph, ${what}, rows path (before)`, 0, await timeView(browser, graphUrl(names, span), web.viewer, 'rm:graph-painted', true));
      const now = result(`graph, ${what}, consolidated on the server`, target, await timeView(browser, graphUrl(names, span), web.viewer, 'rm:graph-painted'));
      results.push(before, now);
      console.log(`  ${what}: ${(before.ms / now.ms).toFixed(2)}× faster painted, ${(before.bytes / Math.max(1, now.bytes)).toFixed(1)}× fewer bytes than the rows path`);
    }
    for (const r of results) report(r);
    return results;
  } finally {
    await browser?.close();
    await web.close();
  }
}
