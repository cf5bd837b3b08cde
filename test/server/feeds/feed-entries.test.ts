/**
 * feedTransitions against a real alarm store (a SQLite file): the pages it
 * reads one after the other give exactly what one filter of the whole
 * history gives, newest first, also where many transitions share one time
 * across a page's end; at most `limit`; and no more rows read than the
 * bound, however few match.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlarmStore } from '../../../server/alarms/alarm-store.js';
import type { AlarmStatus } from '../../../server/alarms/index.js';
import type { HistoryQuery } from '../../../server/alarms/records.js';
import { seriesGlob } from '../../../server/config-schema/index.js';
import { feedTransitions } from '../../../server/feeds/feed-entries.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-feed-entries-'));
let store: AlarmStore;
const STATUSES: AlarmStatus[] = ['OK', 'WARNING', 'CRITICAL', 'NODATA'];
const T0 = 1_800_000_000;

beforeAll(async () => {
  store = await AlarmStore.open(join(dir, 'ringmon.sqlite'));
  // 3,000 transitions; every 700 consecutive ones share one time, so pages of 1,000 end inside a run of equal times.
  const transitions = Array.from({ length: 3000 }, (_, i) => ({
    series: `${i % 3 === 0 ? 'site.a' : 'site.b'}.n${i % 17}.temp`,
    rule: 'temp',
    from: STATUSES[i % 4],
    to: STATUSES[(i + 1) % 4],
    at: T0 + Math.floor(i / 700),
    value: i,
    threshold: null,
    downtime: null,
    suppressed: false,
    inhibitedBy: null,
    noticed: true,
  }));
  await store.commit(transitions, []);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('feedTransitions', () => {
  it('gives what one filter of the whole history gives, newest first, across pages and equal times', async () => {
    const all = await store.history({ limit: 10_000 });
    expect(all).toHaveLength(3000);
    const match = seriesGlob('site.a.**');
    const wanted = all.filter((t) => match.test(t.series) && (t.to === 'CRITICAL' || t.to === 'NODATA'));
    const found = await feedTransitions((q) => store.history(q), { wanted: (s) => match.test(s), statuses: ['CRITICAL', 'NODATA'], limit: 5000 });
    expect(found.map((t) => t.id)).toEqual(wanted.map((t) => t.id));
    expect(new Set(found.map((t) => t.id)).size).toBe(found.length);
  });

  it('stops at the limit', async () => {
    const found = await feedTransitions((q) => store.history(q), { wanted: () => true, statuses: STATUSES, limit: 7 });
    expect(found.map((t) => t.id)).toEqual((await store.history({ limit: 7 })).map((t) => t.id));
  });

  it('reads no more rows than the bound, even when nothing matches', async () => {
    let read = 0;
    const counting = async (q: HistoryQuery) => {
      const rows = await store.history(q);
      read += rows.length;
      return rows;
    };
    expect(await feedTransitions(counting, { wanted: () => false, statuses: STATUSES, limit: 10 }, 2500)).toEqual([]);
    expect(read).toBe(2500);
    read = 0;
    const few = await feedTransitions(counting, { wanted: (s) => s.startsWith('site.a.n0.'), statuses: STATUSES, limit: 500 }, 1200);
    expect(read).toBe(1200);
    const newest = (await store.history({ limit: 1200 })).filter((t) => t.series.startsWith('site.a.n0.'));
    expect(few.map((t) => t.id)).toEqual(newest.map((t) => t.id));
  });
});
