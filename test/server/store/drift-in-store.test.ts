/**
 * Drift and held samples through a real store over a real journal and real
 * archive files: the flush judges each series' applied samples against its
 * archive (write-behind.ts → drift.ts) and list() shows `drift` and `held`;
 * a restart does not restart the inferWithin wait of a held series.
 */
import { describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../../server/config/index.js';
import { snapToLadder } from '../../../server/store/step-ladder.js';
import { freshStoreRoot, openStore, recordingLogger, testConfig } from './store-helpers.js';

freshStoreRoot();

const T = 1_700_006_400;

/** The built-in template (no archives.default), so a 10 s step has a 30 s heartbeat. */
function templateConfig(inferWithin = 1200): ServerConfig {
  const base = testConfig();
  return { ...base, archives: { rules: [], inferWithin } };
}

describe('drift in the store', () => {
  it('is judged at each flush and listed, logged once, counted, and cleared', async () => {
    const config = templateConfig();
    const { log, lines } = recordingLogger();
    const { store, journal } = await openStore(config, { log });
    let t = T;
    const feed = async (series: string, every: number, count: number, extra: object = {}) => {
      await store.ingest(Array.from({ length: count }, (_, k) => ({ series, time: (t += every), value: k, ...extra })));
      await store.flush();
    };
    await feed('web01.load', 10, 4, { interval: 10 });
    await feed('web01.load', 60, 2);
    // Two 60 s gaps after three of 10 s are not most of the recent gaps: no drift yet.
    const listed = async () => (await store.list('web01.load'))[0];
    expect((await listed()).drift).toBeUndefined();
    for (let flush = 0; flush < 4; flush++) await feed('web01.load', 60, 2);
    expect((await listed()).drift).toMatchObject({ kind: 'slow', observedInterval: 60, step: 10, heartbeat: 30 });
    expect(store.stats()).toMatchObject({ seriesDriftingSlow: 1, seriesDriftingFast: 0, driftDetected: 1 });
    expect(lines.filter((l) => l.level === 'warn' && (l.obj as { series?: string }).series === 'web01.load')).toHaveLength(1);
    await feed('web01.load', 10, 9);
    expect((await listed()).drift).toBeUndefined();
    expect(store.stats()).toMatchObject({ seriesDriftingSlow: 0, driftDetected: 1 });
    expect(lines.filter((l) => l.level === 'info' && l.msg.includes('web01.load: its samples fit its archive again'))).toHaveLength(1);

    await feed('batch.nightly', 10, 5, { interval: 3600 });
    expect((await store.list('batch.nightly'))[0].drift).toMatchObject({ kind: 'fast', observedInterval: 10, step: 3600 });
    expect(store.stats()).toMatchObject({ seriesDriftingFast: 1, driftDetected: 2 });
    await store.close();
    await journal.close();
  });

  it('lists a series held for its cadence with its samples and since when, and not once it has an archive', async () => {
    const config = templateConfig();
    const { store, journal } = await openStore(config);
    const before = Math.floor(Date.now() / 1000);
    await store.ingest([{ series: 'new.one', time: T, value: 1 }, { series: 'new.one', time: T + 300, value: 2 }]);
    await store.flush();
    const [held] = await store.list('new.one');
    expect(held.held?.samples).toBe(2);
    expect(held.held?.since).toBeGreaterThanOrEqual(before);
    expect(held.held?.since).toBeLessThanOrEqual(Date.now() / 1000);
    await store.ingest([{ series: 'new.one', time: T + 600, value: 3 }]);
    await store.flush();
    expect((await store.list('new.one'))[0]).not.toHaveProperty('held');
    await store.close();
    await journal.close();
  });
});

describe('the inferWithin wait of a held series', () => {
  it('runs from its sample time after a restart, not from the restart', async () => {
    const config = templateConfig(60);
    const now = Math.floor(Date.now() / 1000);
    const first = await openStore(config);
    // Live collectors' samples are stamped at their arrival: one 100 s ago, one 10 s ago; both held (fewer than three).
    await first.store.ingest([{ series: 'held.long', time: now - 100, value: 1 }, { series: 'held.short', time: now - 10, value: 1 }]);
    await first.store.flush();
    expect((await first.store.list('held.*')).map((s) => s.held?.samples)).toEqual([1, 1]);
    await first.store.close();
    await first.journal.close();
    const second = await openStore(config);
    // 100 s > inferWithin (60 s) since the first arrived: no longer held after the restart, its archive made at the first flush.
    const [long, short] = await second.store.list('held.*');
    expect(long).not.toHaveProperty('held');
    expect(short.held).toEqual({ samples: 1, since: now - 10 });
    await second.store.flush();
    expect((await second.store.list('held.long'))[0].definition.step).toBe(snapToLadder(3 * 60));
    await second.store.close();
    await second.journal.close();
  });
});
