/**
 * The quarantine on real files: an acknowledged sample that its archive can
 * never take (a folder where the archive should be, a journaled sample the
 * door would refuse today) is written to <dataDir>/quarantine/samples.jsonl,
 * the journal's checkpoint file moves past it, and a restart does not
 * replay it; a full disk (a real tmpfs, root only) is not such a reason:
 * its samples stay pending and are stored once there is room. The door
 * refuses times too far ahead of the store's clock.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SampleJournal, type JournaledSample } from '../../../server/journal/index.js';
import { archivePath, mayRetry, quarantineFile, readQuarantine, SeriesStore } from '../../../server/store/index.js';
import { mountTinyFilesystem, unmountTinyFilesystem } from '../../helpers/tiny-filesystem.js';
import { freshStoreRoot, journalDir, openStore, readBack, recordingLogger, STEP, T0, testConfig } from './store-helpers.js';

freshStoreRoot();

const at = (k: number): number => T0 + k * STEP;
const samplesOf = (series: string, ks: readonly number[]): JournaledSample[] => ks.map((k) => ({ series, time: at(k), value: k }));
const archiveOf = (dataDir: string, series: string): string => archivePath(join(dataDir, 'archives'), series);
/** The seq the journal's checkpoint file holds (server/journal/checkpoint.ts: f64 at offset 8). */
const checkpointOnDisk = (dir: string): number => readFileSync(join(dir, 'checkpoint')).readDoubleLE(8);

describe('the quarantine', () => {
  it('takes the samples of a series whose archive is a folder; the checkpoint file moves and a restart does not replay them', async () => {
    const config = testConfig();
    mkdirSync(archiveOf(config.dataDir, 'q.dir'), { recursive: true });
    const { log, lines } = recordingLogger();
    const { store, journal } = await openStore(config, { log });
    await store.ingest(samplesOf('q.dir', [1, 2]));
    await store.ingest(samplesOf('q.good', [1, 2]));
    await store.ingest(samplesOf('q.dir', [3]));
    expect(await store.flush()).toMatchObject({ series: 1, samples: 2 });
    expect(store.stats()).toMatchObject({ pending: 0, flushFailures: 0, samplesQuarantined: 3 });
    expect(checkpointOnDisk(journalDir(config))).toBe(3);
    expect(lines.filter((l) => l.level === 'error').map((l) => l.obj)).toEqual([
      expect.objectContaining({ series: 'q.dir', samples: 3, reason: expect.stringMatching(/EISDIR/), file: quarantineFile(config.dataDir) }),
    ]);
    const kept = readQuarantine(config.dataDir);
    expect(kept.map(({ series, t, v }) => [series, t, v])).toEqual([
      ['q.dir', at(1), 1],
      ['q.dir', at(2), 2],
      ['q.dir', at(3), 3],
    ]);
    expect(kept.every((q) => /EISDIR/.test(q.reason) && Number.isInteger(q.at))).toBe(true);
    expect(statSync(quarantineFile(config.dataDir)).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(quarantineFile(config.dataDir))).mode & 0o777).toBe(0o700);
    // The other series is untouched and the bad one still takes new samples (which go the same way).
    expect(await readBack(store, 'q.good', at(2), at(2))).toEqual([[at(2), 2]]);
    expect((await store.ingest(samplesOf('q.dir', [4]))).accepted).toBe(1);
    await store.close();
    await journal.close();
    expect(readQuarantine(config.dataDir)).toHaveLength(4);

    const again = await openStore(config);
    expect(again.store.stats()).toMatchObject({ pending: 0, samplesQuarantined: 0 });
    await again.store.flush();
    expect(readQuarantine(config.dataDir)).toHaveLength(4);
    await again.store.close();
    await again.journal.close();
  });

  it('takes journaled samples the door refuses today (written before it knew better), and the journal lets them go', async () => {
    const config = testConfig();
    const journal = await SampleJournal.open(journalDir(config));
    const long = `p.${'s'.repeat(252)}`;
    await journal.append([
      { series: 'p.future', time: 1e11, value: 1 },
      { series: long, time: at(1), value: 2 },
      { series: 'p.early', time: 315_360_001, value: 3 },
      ...samplesOf('p.future', [1]),
    ]);
    await journal.append(samplesOf('p.future', [2]));
    const { log, lines } = recordingLogger();
    const store = await SeriesStore.open({ config, journal, log });
    expect(store.stats()).toMatchObject({ pending: 2, samplesDropped: 3 });
    await store.flush();
    expect(journal.checkpointSeq).toBe(2);
    expect(readQuarantine(config.dataDir).map(({ series, t, reason }) => [series, t, reason])).toEqual([
      ['p.future', 1e11, expect.stringMatching(/^time 100000000000 is \d{4} years ahead of the server clock \(\d+\); limits.maxFutureSeconds is 300$/)],
      [long, at(1), 'series has a segment of 252 characters; the limit is 200 (each segment is a file or folder name in the store)'],
      ['p.early', 315_360_001, expect.stringMatching(/^time 315360001 is before 317779200 \(1980-01-27\)/)],
    ]);
    expect(lines.filter((l) => l.level === 'error').map((l) => (l.obj as { series?: string }).series)).toEqual(['p.future', long, 'p.early', undefined]);
    // The good samples of p.future were applied: the poisoned one did not lock the series.
    expect(await readBack(store, 'p.future', at(2), at(2))).toEqual([[at(2), 2]]);
    await store.close();
    await journal.close();
  });

  it('refuses at ingest a time more than limits.maxFutureSeconds ahead of the clock, and the series stays writable', async () => {
    const config = testConfig();
    const limited = { ...config, limits: { ...config.limits, maxFutureSeconds: 60 } };
    const now = at(10);
    const { store, journal } = await openStore(limited, { now: () => now });
    const result = await store.ingest([
      { series: 'f.one', time: now + 61, value: 1 },
      { series: 'f.one', time: now * 1000, value: 1 },
      { series: 'f.one', time: now + 60, value: 2 },
    ]);
    expect(result.accepted).toBe(1);
    expect(result.rejected).toEqual([
      { index: 0, series: 'f.one', reason: `time ${now + 61} is 1m 1s ahead of the server clock (${now}); limits.maxFutureSeconds is 60` },
      { index: 1, series: 'f.one', reason: expect.stringMatching(/looks like milliseconds/) },
    ]);
    expect((await store.ingest([{ series: 'f.one', time: now + 70, value: 3 }])).accepted).toBe(0);
    await store.close();
    await journal.close();
  });
});

const tinyFs = mountTinyFilesystem('1M');
afterAll(() => unmountTinyFilesystem(tinyFs));

describe('a full disk is not a reason to quarantine (a real 1 MiB tmpfs, root only)', () => {
  it.skipIf(!tinyFs)('keeps the samples pending, names five failing archives and counts the rest, then stores them all once there is room', async () => {
    // No headroom, and the series are taken before the disk fills (the door refuses new series on a full disk: series-admission.test.ts); the flush then meets the full disk.
    const base = testConfig();
    const config = { ...base, dataDir: join(tinyFs!, 'data'), archives: { ...base.archives, diskHeadroom: 0 } };
    // The journal lives elsewhere: only the archives' disk is full.
    const journal = await SampleJournal.open(journalDir(testConfig()));
    const { log, lines } = recordingLogger();
    const store = await SeriesStore.open({ config, journal, log });
    const names = Array.from({ length: 8 }, (_, i) => `full.n${i}`);
    mkdirSync(config.dataDir);
    await store.ingest(names.flatMap((name) => samplesOf(name, [1, 2])));
    // Fill the file system to the last byte.
    try {
      for (let i = 0; ; i++) writeFileSync(join(tinyFs!, `filler-${i}`), Buffer.alloc(64 * 1024, 1), { flag: 'wx' });
    } catch (e) {
      expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    await store.flush();
    expect(store.stats()).toMatchObject({ pending: 16, flushFailures: 8, samplesQuarantined: 0 });
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors.map((l) => (l.obj as { series?: string }).series).filter(Boolean)).toEqual(names.slice(0, 5));
    expect(errors.map((l) => l.msg).filter((m) => m.includes('more archives'))).toEqual(['series store: 3 more archives could not be updated in this flush; their samples stay pending']);
    expect(journal.checkpointSeq).toBe(0);
    expect(readQuarantine(config.dataDir)).toEqual([]);
    // A read of such a series fails with the passing error (the API's 503) and keeps the samples pending.
    const failed = await store.fetch('full.n0', { cf: 'AVERAGE', start: at(0), end: at(2) }).catch((e: unknown) => e);
    expect(mayRetry(failed)).toBe(true);
    expect(store.stats()).toMatchObject({ pending: 16, samplesQuarantined: 0 });

    for (const file of readdirSync(tinyFs!)) if (file.startsWith('filler-')) rmSync(join(tinyFs!, file));
    expect(await store.flush()).toMatchObject({ series: 8, samples: 16 });
    expect(store.stats()).toMatchObject({ pending: 0, samplesQuarantined: 0 });
    expect(journal.checkpointSeq).toBe(1);
    expect(await readBack(store, 'full.n7', at(2), at(2))).toEqual([[at(2), 2]]);
    await store.close();
    await journal.close();
  });
});
