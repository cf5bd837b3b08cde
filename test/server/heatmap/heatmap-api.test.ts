/**
 * GET /api/v1/heatmap over real HTTP against a real `ringmon serve`: known
 * hourly samples of three series over three UTC days (archives of one hour
 * a row) give a grid derived by hand (test/helpers/heatmap-days.ts), with a day where nothing was
 * imported (null), a 0 % day, a 5 % day and a 20 % day; each CF; display
 * names from the metadata file; the PNG decoded by pngjs (not ringmon's
 * code) with each cell's pixels in its class colour; and every bound
 * refused with a 400 naming the parameter, quickly, with no row read.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { launcherInTempDir } from '../../helpers/ringmon-process.js';
import { BLACK, BLUE, BROKER_VIEW, DAY, EXPECTED_AVERAGE, EXPECTED_COLOURS, firstDay, HEATMAP_ARCHIVES, heatmapSamples, HOUR, RED, YELLOW } from '../../helpers/heatmap-days.js';
import { NO_SLURPERS } from '../../helpers/server-config.js';

const { dir, launcher } = launcherInTempDir('ringmon-heatmap-api-');
let base = '';
let viewer = '';
const D0 = firstDay();
const YESTERDAY = D0 + 2 * DAY;

const get = (path: string) => apiCall(base, 'GET', path, viewer);

beforeAll(async () => {
  const tokensFile = join(dir, 'tokens');
  viewer = addToken(tokensFile, 'viewer', 'viewer');
  const admin = addToken(tokensFile, 'admin', 'admin');
  const metadataFile = join(dir, 'nodes.yaml');
  writeFileSync(metadataFile, 'a:\n  name: Broker A\nc:\n  name: Broker C\n');
  const served = await launcher.serveIn(dir, { tokensFile, log: 'warn' }, NO_SLURPERS, {
    // today.**: an hour a row for a week, a day a row for 60 days, as the built-in template has coarse rows beside fine ones.
    archives: { default: HEATMAP_ARCHIVES, rules: [{ match: 'today.**', step: '1h', heartbeat: '2h', retentions: '1h:7d,1d:60d', cfs: ['AVERAGE'] }] },
    limits: { fetchMaxRows: 500 },
    metadata: { file: metadataFile, key: 'broker.{node}.*' },
    heatmaps: { maxSeries: 3, views: [BROKER_VIEW] },
  });
  base = served.base;
  const all = heatmapSamples(D0);
  all.push({ series: 'other.x', t: D0 + HOUR, v: 1 }); // a fourth series, for the maxSeries bound
  // Hourly from yesterday's midnight: today.x until the last full hour, today.y only until yesterday noon.
  for (let t = YESTERDAY + HOUR; t <= Date.now() / 1000; t += HOUR) {
    all.push({ series: 'today.x.error_rate', t, v: 5 });
    if (t <= YESTERDAY + 12 * HOUR) all.push({ series: 'today.y.error_rate', t, v: 20 });
  }
  expect((await apiCall(base, 'POST', '/api/v1/samples', admin, all)).status).toBe(200);
  expect((await apiCall(base, 'POST', '/api/v1/admin/flush', admin)).status).toBe(200);
}, 90_000);

const range = `from=${D0}&to=${D0 + 3 * DAY}`;

describe('GET /api/v1/heatmap', () => {
  it('answers the hand-derived grid: a null day, a 0 % day, a 5 % day, a 20 % day', async () => {
    const answer = await get(`/api/v1/heatmap?match=broker.*.error_rate&${range}&bucket=1d`);
    expect(answer.status).toBe(200);
    const { json } = answer;
    expect({ from: json.from, to: json.to, bucket: json.bucket, columns: json.columns, cf: json.cf }).toEqual({ from: D0, to: D0 + 3 * DAY, bucket: DAY, columns: 3, cf: 'AVERAGE' });
    expect(json.series).toEqual([
      { series: 'broker.a.error_rate', node: 'a', displayName: 'Broker A', values: [0, 5, 20], cellClasses: [0, 1, 2] },
      { series: 'broker.b.error_rate', values: [null, 5, 0], cellClasses: [-1, 1, 0] },
      { series: 'broker.c.error_rate', node: 'c', displayName: 'Broker C', values: [0, null, 20], cellClasses: [0, -1, 2] },
    ]);
    // Without a view: the default classes of the example.
    expect(json.noData).toBe(BLACK);
    expect(json.classes.map((c: { colour: string }) => c.colour)).toEqual([BLUE, YELLOW, RED]);
  });

  it('fills today\'s bucket, and the bucket in which a series stopped, from rows finer than the bucket', async () => {
    // The archives' day rows of those buckets are not written yet (today's) or never will be (a series that stopped):
    // read from them, both cells would be null though samples were imported then.
    const answer = await get(`/api/v1/heatmap?match=today.*.error_rate&from=${YESTERDAY}&to=${YESTERDAY + 2 * DAY}&bucket=1d`);
    expect(answer.status).toBe(200);
    const todayHasSample = Date.now() / 1000 >= YESTERDAY + DAY + HOUR;
    expect(answer.json.series.map((r: { series: string; values: unknown[] }) => [r.series, r.values])).toEqual([
      ['today.x.error_rate', [5, todayHasSample ? 5 : null]],
      ['today.y.error_rate', [20, null]],
    ]);
  });

  it('consolidates each bucket with the CF asked', async () => {
    const b = async (cf: string) => (await get(`/api/v1/heatmap?match=broker.b.error_rate&${range}&bucket=1d&cf=${cf}`)).json.series[0].values;
    expect(await b('MIN')).toEqual([null, 2, 0]);
    expect(await b('MAX')).toEqual([null, 8, 0]);
    expect(await b('LAST')).toEqual([null, 8, 0]);
    // Half-day buckets split day 1 of b into its two halves.
    expect((await get(`/api/v1/heatmap?match=broker.b.error_rate&${range}&bucket=12h`)).json.series[0].values).toEqual([null, null, 2, 8, 0, 0]);
  });

  it('takes a named view: its pattern, bucket, range, unit and classes', async () => {
    const { status, json } = await get(`/api/v1/heatmap?view=broker-errors&to=${D0 + 3 * DAY}`);
    expect(status).toBe(200);
    expect(json).toMatchObject({ view: 'broker-errors', title: 'Broker error rate', unit: '%', from: D0, columns: 3, noData: BLACK });
    expect(json.classes).toEqual([
      { max: 0, colour: BLUE, label: '0 %' },
      { max: 10, colour: YELLOW, label: '≤ 10 %' },
      { colour: RED, label: '> 10 %' },
    ]);
    expect(json.series.map((s: { values: unknown[] }) => s.values)).toEqual(EXPECTED_AVERAGE);
    const listed = await get('/api/v1/heatmaps');
    expect(listed.json.views).toEqual([expect.objectContaining({ name: 'broker-errors', match: 'broker.*.error_rate', bucket: DAY, range: 3 * DAY, cf: 'AVERAGE', unit: '%' })]);
  });

  it('draws the PNG: each cell in its class colour, no data black', async () => {
    for (const how of ['format=png', 'accept']) {
      const res = await request(`${base}/api/v1/heatmap?view=broker-errors&to=${D0 + 3 * DAY}&cellWidth=10&cellHeight=6${how === 'format=png' ? '&format=png' : ''}`, {
        headers: { authorization: `Bearer ${viewer}`, ...(how === 'accept' ? { accept: 'image/png' } : {}) },
      });
      expect(res.statusCode, how).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      const png = PNG.sync.read(Buffer.from(await res.body.arrayBuffer()));
      expect([png.width, png.height]).toEqual([3 * 10, 3 * 6]);
      const expected = EXPECTED_COLOURS;
      for (let row = 0; row < 3; row++) {
        for (let col = 0; col < 3; col++) {
          // Every pixel of the cell, not only its centre.
          for (let y = row * 6; y < row * 6 + 6; y++) {
            for (let x = col * 10; x < col * 10 + 10; x++) {
              const i = (y * png.width + x) * 4;
              const hex = `#${[png.data[i], png.data[i + 1], png.data[i + 2]].map((n) => n.toString(16).padStart(2, '0')).join('')}`;
              if (hex !== expected[row][col]) expect(`${how} cell ${row},${col} pixel ${x},${y}: ${hex}`).toBe(expected[row][col]);
            }
          }
        }
      }
    }
  });

  it('takes classes from the request', async () => {
    const res = await request(`${base}/api/v1/heatmap?match=broker.a.error_rate&${range}&format=png&cellWidth=1&cellHeight=1&classes=4:00ff00,*:ff00ff&noData=123456`, { headers: { authorization: `Bearer ${viewer}` } });
    const png = PNG.sync.read(Buffer.from(await res.body.arrayBuffer()));
    const pixel = (x: number) => [...png.data.subarray(x * 4, x * 4 + 3)];
    expect([pixel(0), pixel(1), pixel(2)]).toEqual([
      [0, 255, 0],
      [255, 0, 255],
      [255, 0, 255],
    ]);
  });

  it('refuses each bound with a 400 naming the parameter, without hanging', async () => {
    const cases: [string, string][] = [
      ['match=broker.[&bucket=1d', 'querystring/match'],
      ['bucket=1d', 'querystring/match'], // no pattern and no view
      ['match=**&bucket=1d', 'querystring/match'], // 4 series, heatmaps.maxSeries 3
      [`match=broker.*.error_rate&${range}&bucket=1m`, 'querystring/bucket'], // 4,320 columns
      ['match=broker.*.error_rate&from=315532800&to=9000000000&bucket=1d', 'querystring/bucket'], // 1980 to 2255
      [`match=broker.*.error_rate&${range}&bucket=5s`, 'querystring/bucket'],
      [`match=broker.*.error_rate&${range}&bucket=soon`, 'querystring/bucket'],
      [`match=broker.*.error_rate&from=${D0 - 27 * DAY}&to=${D0 + 3 * DAY}&bucket=1d`, 'querystring/from'], // 3 × 720 rows, limits.fetchMaxRows 500
      [`match=broker.*.error_rate&from=${D0}&to=${D0}`, 'querystring/to'],
      [`match=broker.*.error_rate&${range}&classes=10:ff0000,0:00ff00`, 'querystring/classes'],
      [`match=broker.*.error_rate&${range}&classes=red`, 'querystring/classes'],
      [`view=nope`, 'querystring/view'],
      [`match=broker.*.error_rate&${range}&bucket=10m&format=png&cellWidth=64`, 'querystring/cellWidth'], // 432 × 64 px
      [`match=broker.*.error_rate&${range}&cellWidth=65`, 'querystring/cellWidth'],
      [`match=broker.*.error_rate&from=1`, 'querystring/from'],
      [`match=broker.*.error_rate&noData=black`, 'querystring/noData'],
    ];
    for (const [query, field] of cases) {
      const started = performance.now();
      const { status, json } = await get(`/api/v1/heatmap?${query}`);
      expect(status, query).toBe(400);
      expect(JSON.stringify(json.error), query).toContain(field);
      expect(performance.now() - started, query).toBeLessThan(5000);
    }
  });

  it('needs the viewer role', async () => {
    expect((await apiCall(base, 'GET', '/api/v1/heatmap?match=broker.*.error_rate', undefined)).status).toBe(401);
  });
});
