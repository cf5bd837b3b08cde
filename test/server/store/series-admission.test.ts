/**
 * New series are admitted at the store's door (issue 14): on a real small
 * file system (a tmpfs, root only) a batch of new series is taken only as
 * far as their archives leave archives.diskHeadroom free, the rest refused
 * with a reason naming the free and needed bytes and the setting, nothing
 * refused is journaled, the flush that follows fails nowhere, known series
 * go on, and each episode is logged once. archives.maxSeries counts the
 * archives found at open.
 */
import { rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../../server/config/index.js';
import { SampleJournal, type JournaledSample } from '../../../server/journal/index.js';
import { SeriesStore } from '../../../server/store/index.js';
import { mountTinyFilesystem, unmountTinyFilesystem } from '../../helpers/tiny-filesystem.js';
import { freshStoreRoot, journalDir, openStore, recordingLogger, STEP, T0, testConfig } from './store-helpers.js';

freshStoreRoot();

const at = (k: number): number => T0 + k * STEP;
const sample = (series: string, k: number): JournaledSample => ({ series, time: at(k), value: k });
const withArchives = (config: ServerConfig, extra: Partial<ServerConfig['archives']>): ServerConfig => ({ ...config, archives: { ...config.archives, ...extra } });

const MiB = 2 ** 20;
const tinyFs = mountTinyFilesystem('4M');
afterAll(() => unmountTinyFilesystem(tinyFs));

describe('new series on a small disk (a real 4 MiB tmpfs, root only)', () => {
  it.skipIf(!tinyFs)('are refused once their archives would pass archives.diskHeadroom; known series go on, nothing refused is journaled, one log line per episode', async () => {
    const config = withArchives({ ...testConfig(), dataDir: join(tinyFs!, 'data') }, { diskHeadroom: 2 * MiB });
    // The journal lives elsewhere: only the archives take this disk.
    const journal = await SampleJournal.open(journalDir(testConfig()));
    const { log, lines } = recordingLogger();
    let clock = 0;
    const store = await SeriesStore.open({ config, journal, log, admission: { nowMs: () => clock } });
    expect((await store.ingest([sample('known.a', 1)])).accepted).toBe(1);
    await store.flush();

    const fresh = Array.from({ length: 2000 }, (_, i) => sample(`fresh.s${i}`, 1));
    const first = await store.ingest(fresh);
    // 2 MiB of room at 4 KiB a series (one block for each ~2.6 kB archive): a few hundred, not 2,000.
    expect(first.accepted).toBeGreaterThan(100);
    expect(first.accepted).toBeLessThan(600);
    expect(first.rejected).toHaveLength(2000 - first.accepted);
    expect(first.noRoom).toMatch(/new series refused: the data directory's disk has .* MB free.*archives\.diskHeadroom keeps 2MiB.*needs 0\.00 MB; known series are still stored/);
    expect(first.rejected[0]).toEqual({ index: first.accepted, series: `fresh.s${first.accepted}`, reason: first.noRoom });
    expect(store.stats()).toMatchObject({ seriesRefusedDisk: 2000 - first.accepted, seriesRefusedLimit: 0 });
    expect(store.stats().diskFreeBytes).toBeGreaterThan(2 * MiB);

    // The flush has room for every series admitted: nothing fails, nothing stays pending, the headroom is left.
    expect(await store.flush()).toMatchObject({ series: first.accepted, samples: first.accepted });
    expect(store.stats()).toMatchObject({ pending: 0, flushFailures: 0 });
    const fs = statfsSync(tinyFs!);
    expect(fs.bavail * fs.bsize).toBeGreaterThan(1.8 * MiB);

    // Known series go on, new ones are still refused (a batch of nothing but new series: accepted 0, noRoom said).
    clock += 5000;
    expect(await store.ingest([sample('known.a', 2), sample('fresh.s0', 2)])).toEqual({ accepted: 2, rejected: [] });
    const again = await store.ingest([sample('fresh.late', 1), sample('fresh.late', 2)]);
    expect(again).toMatchObject({ accepted: 0, noRoom: expect.stringContaining('archives.diskHeadroom') });
    expect(again.rejected).toHaveLength(2);
    // Counted once per series per batch, logged once per episode.
    expect(store.stats().seriesRefusedDisk).toBe(2000 - first.accepted + 1);
    const refusals = () => lines.filter((l) => l.msg.includes('new series refused'));
    expect(refusals()).toHaveLength(1);
    expect(refusals()[0]).toMatchObject({ level: 'warn', obj: { headroom: 2 * MiB, needed: 4096 } });

    await store.close();
    await journal.close();
    rmSync(config.dataDir, { recursive: true });
  });

  it.skipIf(!tinyFs)('are taken again once there is room, which is logged once', async () => {
    const dataDir = join(tinyFs!, 'data-room');
    const config = withArchives({ ...testConfig(), dataDir }, { diskHeadroom: 1 * MiB });
    const { log, lines } = recordingLogger();
    let clock = 0;
    const { store, journal } = await openStore(config, { log, admission: { nowMs: () => clock } });
    // Leave less than the headroom: a filler file of what is free less half a MiB.
    const fs = statfsSync(tinyFs!);
    const filler = join(tinyFs!, 'filler');
    writeFileSync(filler, Buffer.alloc(fs.bavail * fs.bsize - MiB / 2));
    clock += 1000;
    expect(await store.ingest([sample('room.a', 1)])).toMatchObject({ accepted: 0, noRoom: expect.any(String) });
    rmSync(filler);
    // Within STATFS_CACHE_MS the old reading holds; after it, the room is seen.
    expect((await store.ingest([sample('room.a', 1)])).accepted).toBe(0);
    clock += 1000;
    expect((await store.ingest([sample('room.a', 1)])).accepted).toBe(1);
    expect(lines.filter((l) => l.msg.includes('new series refused'))).toHaveLength(1);
    expect(lines.filter((l) => l.msg === 'series store: new series are taken again')).toHaveLength(1);
    await store.close();
    await journal.close();
  });
});

describe('archives.maxSeries', () => {
  it('counts the archives found at open and refuses new series past it; known series go on; nothing refused is journaled', async () => {
    const config = withArchives(testConfig(), { maxSeries: 3, diskHeadroom: 0 });
    let opened = await openStore(config);
    await opened.store.ingest([sample('m.a', 1), sample('m.b', 1)]);
    await opened.store.close();
    await opened.journal.close();

    opened = await openStore(config);
    const { store } = opened;
    const result = await store.ingest([sample('m.c', 1), sample('m.d', 1), sample('m.a', 2), sample('m.d', 2)]);
    expect(result.accepted).toBe(2);
    expect(result.rejected.map((r) => [r.index, r.series])).toEqual([
      [1, 'm.d'],
      [3, 'm.d'],
    ]);
    expect(result.noRoom).toBe('new series refused: the store holds 3 series, archives.maxSeries is 3');
    expect(store.stats()).toMatchObject({ seriesRefusedLimit: 1, seriesRefusedDisk: 0 });
    await store.close();
    await opened.journal.close();

    // A restart replays nothing of m.d: it was never journaled.
    const again = await openStore(config);
    expect((await again.store.list()).map((s) => s.series)).toEqual(['m.a', 'm.b', 'm.c']);
    await again.store.close();
    await again.journal.close();
  });

  it('counts the new series a restart replays without their archive yet', async () => {
    const config = withArchives(testConfig(), { maxSeries: 2, diskHeadroom: 0 });
    const first = await openStore(config);
    expect((await first.store.ingest([sample('r.a', 1), sample('r.b', 1)])).accepted).toBe(2);
    // Ended without a flush (as by kill -9): r.a and r.b are only in the journal.
    await first.journal.close();
    const { store, journal } = await openStore(config);
    expect(await store.ingest([sample('r.c', 1)])).toMatchObject({ accepted: 0, noRoom: 'new series refused: the store holds 2 series, archives.maxSeries is 2' });
    expect((await store.ingest([sample('r.a', 2)])).accepted).toBe(1);
    await store.close();
    await journal.close();
  });
});

describe('archives.maxNewSeriesPerMinute', () => {
  it('bounds the new series each writer makes in a minute; known series, other writers and unnamed ones go on', async () => {
    const config = withArchives(testConfig(), { maxNewSeriesPerMinute: 3, diskHeadroom: 0 });
    const { log, lines } = recordingLogger();
    let clock = 0;
    const { store, journal } = await openStore(config, { log, admission: { nowMs: () => clock } });
    const loader = { writer: 'loader' };
    const first = await store.ingest(['w.a', 'w.b', 'w.c', 'w.d', 'w.e'].map((name) => sample(name, 1)), loader);
    expect(first.accepted).toBe(3);
    expect(first.rejected.map((r) => r.series)).toEqual(['w.d', 'w.e']);
    expect(first.overRate).toBe("new series refused: token 'loader' made 3 new series in the last minute, archives.maxNewSeriesPerMinute is 3; try again in 60 s (known series are still stored)");
    expect(first).not.toHaveProperty('noRoom');
    clock += 30_000;
    expect(await store.ingest([sample('w.a', 2), sample('w.f', 1)], loader)).toMatchObject({ accepted: 1, overRate: expect.stringContaining('try again in 30 s') });
    expect((await store.ingest([sample('w.g', 1)], { writer: 'other' })).accepted).toBe(1);
    expect((await store.ingest([sample('w.h', 1), sample('w.i', 1), sample('w.j', 1), sample('w.k', 1)])).accepted).toBe(4);
    expect(store.stats()).toMatchObject({ seriesRefusedRate: 3, seriesRefusedDisk: 0, seriesRefusedLimit: 0 });
    expect(lines.filter((l) => l.msg.includes("token 'loader'"))).toHaveLength(1);
    clock += 30_000;
    expect((await store.ingest([sample('w.d', 1)], loader)).accepted).toBe(1);
    await store.close();
    await journal.close();
  });
});
