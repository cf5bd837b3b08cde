/**
 * The series store's contract on real files: ingest → flush → fetch with
 * exact values, stale samples refused and never stored, a crash before a
 * flush (and between a flush and its checkpoint) losing and doubling
 * nothing, a corrupt archive's samples quarantined (not holding back the
 * journal), the handle
 * LRU, list(), and the flush timer.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CorruptArchiveError } from '../../../archive/index.js';
import { SampleJournal, type JournaledSample } from '../../../server/journal/index.js';
import { archivePath, readQuarantine, SeriesStore, StoreClosedError, UnknownSeriesError } from '../../../server/store/index.js';
import { freshStoreRoot, journalDir, openArchiveFiles, openStore, readBack, recordingLogger, STEP, T0, testConfig } from './store-helpers.js';

freshStoreRoot();

const at = (k: number): number => T0 + k * STEP;
const samplesOf = (series: string, ks: readonly number[], value = (k: number) => k * 1.5): JournaledSample[] =>
  ks.map((k) => ({ series, time: at(k), value: value(k) }));
const archiveOf = (dataDir: string, series: string): string => archivePath(join(dataDir, 'archives'), series);
/**
 * What the finest RRA holds after samples at T0 + k * STEP for k = 1..last with
 * `value(k)`: a new archive starts one second before its first sample (as the
 * store creates it), so that sample covers 1 s of its PDP, which is UNKNOWN
 * (more than half the step unknown, rrdtool's rule); every later one is exact.
 */
const rowsOf = (ks: readonly number[], value = (k: number) => k * 1.5): [number, number | null][] => ks.map((k) => [at(k), value(k)]);

describe('SeriesStore: ingest, flush, fetch', () => {
  it('writes samples to a whisper-style path on flush and reads them back exactly', async () => {
    const config = testConfig();
    const { store, journal } = await openStore(config);
    const path = archiveOf(config.dataDir, 'host.web01.cpu');
    expect(path).toBe(join(config.dataDir, 'archives', 'host', 'web01', 'cpu.rma'));

    const result = await store.ingest([...samplesOf('host.web01.cpu', [1, 2, 3, 4, 5]), ...samplesOf('host.web02.cpu', [1, 2], (k) => -k)]);
    expect(result).toEqual({ accepted: 7, rejected: [] });
    expect(journal.lastSeq).toBe(1);
    expect(existsSync(path)).toBe(false);
    expect(store.stats()).toMatchObject({ samplesIngested: 7, pending: 7 });

    const flushed = await store.flush();
    expect(flushed).toMatchObject({ series: 2, samples: 7 });
    expect(existsSync(path)).toBe(true);
    expect(journal.checkpointSeq).toBe(1);
    expect(store.stats()).toMatchObject({ samplesFlushed: 7, pending: 0, flushes: 1, flushFailures: 0 });

    expect(await readBack(store, 'host.web01.cpu', at(1), at(5))).toEqual(rowsOf([1, 2, 3, 4, 5]));
    expect(await readBack(store, 'host.web02.cpu', at(1), at(2))).toEqual(rowsOf([1, 2], (k) => -k));
    await store.close();
    await journal.close();
  });

  it('fetch applies the series’ pending samples first; an unknown series is an error', async () => {
    const config = testConfig();
    const { store, journal } = await openStore(config);
    await store.ingest(samplesOf('a.b', [1, 2, 3]));
    await store.ingest(samplesOf('c', [1]));
    expect(await readBack(store, 'a.b', at(1), at(3))).toEqual(rowsOf([1, 2, 3]));
    // Only that series was applied; the journal keeps both until a full flush.
    expect(store.stats()).toMatchObject({ pending: 1, samplesFlushed: 3 });
    expect(existsSync(archiveOf(config.dataDir, 'c'))).toBe(false);
    expect(journal.checkpointSeq).toBe(0);
    await expect(store.fetch('nope', { cf: 'AVERAGE', start: at(0), end: at(3) })).rejects.toThrow(UnknownSeriesError);
    await expect(store.fetch('../etc', { cf: 'AVERAGE', start: at(0), end: at(3) })).rejects.toThrow(UnknownSeriesError);
    await store.close();
    expect(existsSync(archiveOf(config.dataDir, 'c'))).toBe(true);
    expect(journal.checkpointSeq).toBe(2);
    await expect(store.ingest(samplesOf('c', [2]))).rejects.toThrow(StoreClosedError);
    await journal.close();
  });
});

describe('SeriesStore: concurrent flushes and ingests', () => {
  it('leaves samples ingested during a flush pending for the next, outside its checkpoint', async () => {
    const config = testConfig();
    const { store, journal } = await openStore(config);
    await store.ingest(samplesOf('f.one', [1, 2]));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const checkpoint = journal.checkpoint.bind(journal);
    const spy = vi.spyOn(journal, 'checkpoint').mockImplementation(async (seq) => {
      await gate;
      return checkpoint(seq);
    });
    const flushing = store.flush();
    await vi.waitFor(() => expect(spy).toHaveBeenCalled(), { timeout: 10_000 });
    // The archives are written; the flush waits on its checkpoint.
    await store.ingest(samplesOf('f.one', [3]));
    const second = store.flush();
    release();
    expect(await flushing).toMatchObject({ series: 1, samples: 2 });
    expect(spy).toHaveBeenCalledWith(1);
    expect(await second).toMatchObject({ series: 1, samples: 1 });
    expect(journal.checkpointSeq).toBe(2);
    expect(await readBack(store, 'f.one', at(1), at(3))).toEqual(rowsOf([1, 2, 3]));
    await store.close();
    await journal.close();
  });
});

describe('SeriesStore: stale samples', () => {
  it('refuses samples not after the last update (archive, pending, same batch) and stores none of them', async () => {
    const config = testConfig();
    const { store, journal } = await openStore(config);
    await store.ingest(samplesOf('s.archived', [1, 2, 3]));
    await store.flush();

    // Against the archive: the store's memory, and a fresh store that reads the archive's header.
    const again = await store.ingest([{ series: 's.archived', time: at(3), value: 99 }]);
    expect(again).toEqual({ accepted: 0, rejected: [{ index: 0, series: 's.archived', reason: `time ${at(3)} is not after the last update ${at(3)}` }] });
    await store.close();
    await journal.close();
    const reopened = await openStore(config);
    const fresh = await reopened.store.ingest([{ series: 's.archived', time: at(2), value: 99 }, { series: 's.archived', time: at(4), value: 6 }]);
    expect(fresh).toEqual({ accepted: 1, rejected: [{ index: 0, series: 's.archived', reason: `time ${at(2)} is not after the last update ${at(3)}` }] });

    // Against pending samples, and earlier in the same batch; a sub-microsecond later time is the same time.
    await reopened.store.ingest(samplesOf('s.pending', [5]));
    const batch = await reopened.store.ingest([
      { series: 's.pending', time: at(5), value: 99 },
      { series: 's.pending', time: at(7), value: 10.5 },
      { series: 's.pending', time: at(6), value: 99 },
      { series: 's.pending', time: at(7) + 1e-7, value: 99 },
      { series: 's.pending', time: at(8), value: 12 },
      { series: 'bad..name', time: at(8), value: 1 },
      { series: 's.pending', time: Number.NaN, value: 1 },
    ]);
    expect(batch.accepted).toBe(2);
    expect(batch.rejected.map((r) => [r.index, r.reason])).toEqual([
      [0, `time ${at(5)} is not after the last update ${at(5)}`],
      [2, `time ${at(6)} is not after the last update ${at(7)}`],
      [3, `time ${at(7) + 1e-7} is not after the last update ${at(7)}`],
      [5, expect.stringContaining('empty segment')],
      [6, expect.stringContaining('finite')],
    ]);
    expect(reopened.store.stats().samplesRejected).toBe(6);

    // Nothing refused reached the journal or the archives.
    const journaled: JournaledSample[] = [];
    await reopened.journal.replay((_, samples) => journaled.push(...samples));
    expect(journaled.some((s) => s.value === 99)).toBe(false);
    await reopened.store.flush();
    expect(await readBack(reopened.store, 's.archived', at(1), at(4))).toEqual(rowsOf([1, 2, 3, 4]));
    expect(await readBack(reopened.store, 's.pending', at(6), at(8))).toEqual([[at(6), 10.5], [at(7), 10.5], [at(8), 12]]);
    await reopened.store.close();
    await reopened.journal.close();
  });

  it('gives back the times a batch claimed when its append fails', async () => {
    const config = testConfig();
    const { store, journal } = await openStore(config);
    await store.ingest(samplesOf('x', [1]));
    const append = vi.spyOn(journal, 'append').mockRejectedValueOnce(new Error('disk full'));
    await expect(store.ingest(samplesOf('x', [5]))).rejects.toThrow('disk full');
    append.mockRestore();
    expect(await store.ingest(samplesOf('x', [2]))).toEqual({ accepted: 1, rejected: [] });
    expect(store.stats()).toMatchObject({ samplesIngested: 2, pending: 2 });
    await store.close();
    await journal.close();
  });
});

describe('SeriesStore: restart', () => {
  it('a crash before the flush loses no acknowledged sample and applies each exactly once', async () => {
    const config = testConfig();
    const first = await openStore(config);
    await first.store.ingest([...samplesOf('r.one', [1, 2]), ...samplesOf('r.two', [1])]);
    await first.store.flush();
    await first.store.ingest(samplesOf('r.one', [3, 4]));
    await first.store.ingest([...samplesOf('r.two', [2, 3]), ...samplesOf('r.three', [1, 2])]);
    // The crash: the journal's file closes, the store is dropped without close() or a flush.
    await first.journal.close();

    const second = await openStore(config);
    expect(second.store.stats().pending).toBe(6);
    // What the replay brought back counts for staleness at once.
    expect((await second.store.ingest(samplesOf('r.one', [4]))).rejected).toHaveLength(1);
    expect(await second.store.flush()).toMatchObject({ series: 3, samples: 6 });
    expect(second.journal.checkpointSeq).toBe(second.journal.lastSeq);
    expect(await readBack(second.store, 'r.one', at(1), at(4))).toEqual(rowsOf([1, 2, 3, 4]));
    expect(await readBack(second.store, 'r.two', at(1), at(3))).toEqual(rowsOf([1, 2, 3]));
    expect(await readBack(second.store, 'r.three', at(1), at(2))).toEqual(rowsOf([1, 2]));
    expect(second.store.stats()).toMatchObject({ samplesFlushed: 6, samplesSkipped: 0, flushFailures: 0 });
    await second.store.close();
    await second.journal.close();
  });

  it('a crash between the archive updates and the checkpoint replays samples that are then skipped', async () => {
    const config = testConfig();
    const { log, lines } = recordingLogger();
    const first = await openStore(config, { log });
    await first.store.ingest(samplesOf('c.one', [1, 2, 3]));
    vi.spyOn(first.journal, 'checkpoint').mockRejectedValue(new Error('killed'));
    await first.store.flush();
    expect(lines.some((l) => l.level === 'warn' && l.msg.includes('checkpoint'))).toBe(true);
    await first.journal.close();

    const second = await openStore(config);
    expect(second.store.stats().pending).toBe(3);
    await second.store.ingest(samplesOf('c.one', [4]));
    expect(await second.store.flush()).toMatchObject({ series: 1, samples: 1 });
    expect(second.store.stats()).toMatchObject({ samplesSkipped: 3, samplesFlushed: 1, flushFailures: 0, pending: 0 });
    expect(await readBack(second.store, 'c.one', at(1), at(4))).toEqual(rowsOf([1, 2, 3, 4]));
    await second.store.close();
    await second.journal.close();
  });
});

describe('SeriesStore: failures', () => {
  it('quarantines the samples of a series with a corrupt archive while the others flush, and the checkpoint moves', async () => {
    const config = testConfig();
    const badPath = archiveOf(config.dataDir, 'bad.one');
    mkdirSync(dirname(badPath), { recursive: true });
    writeFileSync(badPath, 'not an archive at all');
    const { log, lines } = recordingLogger();
    const { store, journal } = await openStore(config, { log });

    await store.ingest(samplesOf('good.one', [1]));
    await store.ingest(samplesOf('bad.one', [1, 2]));
    await store.ingest(samplesOf('good.one', [2]));
    expect(await store.flush()).toMatchObject({ series: 1, samples: 2 });
    // A damaged archive never gets better by itself: its samples are reported, not kept pending for ever.
    expect(store.stats()).toMatchObject({ pending: 0, flushFailures: 0, samplesFlushed: 2, samplesQuarantined: 2 });
    const failure = lines.find((l) => l.level === 'error');
    expect(failure?.obj).toMatchObject({ series: 'bad.one', samples: 2, reason: expect.stringMatching(/not a readable ringmon archive/) });
    expect(journal.checkpointSeq).toBe(3);
    expect(readQuarantine(config.dataDir).map(({ series, t, v }) => [series, t, v])).toEqual([
      ['bad.one', at(1), 1.5],
      ['bad.one', at(2), 3],
    ]);
    expect(await readBack(store, 'good.one', at(1), at(2))).toEqual(rowsOf([1, 2]));
    await expect(store.fetch('bad.one', { cf: 'AVERAGE', start: at(0), end: at(2) })).rejects.toThrow(CorruptArchiveError);

    // Once the operator removes the file, the series' next samples make a new archive.
    rmSync(badPath);
    await store.ingest(samplesOf('bad.one', [3, 4, 5]));
    expect(await store.flush()).toMatchObject({ series: 1, samples: 3 });
    expect(journal.checkpointSeq).toBe(4);
    expect((await readBack(store, 'bad.one', at(4), at(5))).map(([, v]) => v)).toEqual([6, 7.5]);
    await store.close();
    await journal.close();
  });

  it('logs each series whose samples are quarantined once, however often they fail', async () => {
    const config = testConfig();
    const { log, lines } = recordingLogger();
    const { store, journal } = await openStore(config, { log });
    const names = Array.from({ length: 8 }, (_, i) => `bad.n${i}`);
    for (const name of names) {
      const path = archiveOf(config.dataDir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, 'not an archive at all');
    }
    await store.ingest(names.flatMap((name) => samplesOf(name, [1])));
    await store.flush();
    await store.ingest(names.flatMap((name) => samplesOf(name, [2])));
    await store.flush();
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors.map((l) => (l.obj as { series?: string }).series)).toEqual(names);
    expect(store.stats()).toMatchObject({ flushFailures: 0, pending: 0, samplesQuarantined: 16 });
    expect(journal.checkpointSeq).toBe(2);
    await store.close();
    await journal.close();
  });

  it('quarantines, logs and counts a sample the archive refuses for good, applying the rest', async () => {
    const config = testConfig();
    const counterConfig = { ...config, archives: { ...config.archives, default: { ...config.archives.default, type: 'COUNTER' as const } } };
    const { log, lines } = recordingLogger();
    const { store, journal } = await openStore(counterConfig, { log });
    await store.ingest([
      { series: 'n', time: at(1), value: 10 },
      { series: 'n', time: at(2), value: 20.5 },
      { series: 'n', time: at(3), value: 30 },
    ]);
    expect(await store.flush()).toMatchObject({ samples: 2 });
    expect(store.stats()).toMatchObject({ samplesDropped: 1, pending: 0, flushFailures: 0 });
    expect(lines.find((l) => l.level === 'error')?.obj).toMatchObject({ series: 'n', time: at(2), value: 20.5 });
    expect(readQuarantine(counterConfig.dataDir)).toMatchObject([{ series: 'n', t: at(2), v: 20.5, reason: expect.stringMatching(/^the archive refuses it: /) }]);
    await store.close();
    await journal.close();
  });
});

describe('SeriesStore: open archives', () => {
  it('keeps at most maxOpenArchives open, closing the least recently used, and none after close', async () => {
    const config = testConfig();
    const { store, journal } = await openStore(config, { maxOpenArchives: 2 });
    const before = openArchiveFiles();
    await store.ingest([...samplesOf('l.a', [1]), ...samplesOf('l.b', [1]), ...samplesOf('l.c', [1])]);
    await store.flush();
    const path = (s: string) => archiveOf(config.dataDir, s);
    expect(store.stats().openArchives).toBe(2);
    expect(openArchiveFiles().filter((f) => !before.includes(f))).toEqual([path('l.b'), path('l.c')]);
    await store.ingest(samplesOf('l.a', [2]));
    await store.flush();
    expect(openArchiveFiles().filter((f) => !before.includes(f))).toEqual([path('l.a'), path('l.c')]);
    await store.close();
    expect(store.stats().openArchives).toBe(0);
    expect(openArchiveFiles().filter((f) => !before.includes(f))).toEqual([]);
    await journal.close();
  });
});

describe('SeriesStore: list', () => {
  it('lists archived and pending series with their last update and value, filtered by a pattern', async () => {
    const config = testConfig();
    const { store, journal } = await openStore(config);
    await store.ingest([...samplesOf('host.a.cpu', [1, 2]), ...samplesOf('host.b.cpu', [1])]);
    await store.flush();
    await store.ingest([...samplesOf('host.b.cpu', [2], () => 7), { series: 'host.c.mem', time: at(1), value: null }]);
    const all = await store.list();
    expect(all.map(({ series, lastUpdate, lastValue }) => [series, lastUpdate, lastValue])).toEqual([
      ['host.a.cpu', at(2), 3],
      ['host.b.cpu', at(2), 7],
      ['host.c.mem', at(1), null],
    ]);
    expect(all[0].definition.step).toBe(STEP);
    expect(all[2].definition.dataSources[0].name).toBe('value');
    expect((await store.list('host.*.cpu')).map((s) => s.series)).toEqual(['host.a.cpu', 'host.b.cpu']);
    expect(await store.list('nothing.**')).toEqual([]);
    await expect(store.list('[a-z]')).rejects.toThrow();
    await store.close();
    await journal.close();

    // A new store finds the archives on disk without having seen the series.
    const reopened = await openStore(config);
    expect((await reopened.store.list()).map((s) => [s.series, s.lastValue])).toEqual([
      ['host.a.cpu', 3],
      ['host.b.cpu', 7],
      ['host.c.mem', null],
    ]);
    await reopened.store.close();
    await reopened.journal.close();
  });
});

describe('SeriesStore: the flush timer', () => {
  it('flushes every flushIntervalSeconds', async () => {
    const config = testConfig({ flushIntervalSeconds: 1 });
    const { store, journal } = await openStore(config);
    await store.ingest(samplesOf('t.one', [1]));
    await vi.waitFor(() => expect(store.stats().pending).toBe(0), { timeout: 5000, interval: 50 });
    expect(existsSync(archiveOf(config.dataDir, 't.one'))).toBe(true);
    await store.close();
    await journal.close();
  });

  it('flushes early once the journal grows past maxJournalBytes', async () => {
    const config = testConfig({ maxJournalBytes: 2000 });
    const { store, journal } = await openStore(config);
    for (let k = 1; k <= 40 && store.stats().flushes === 0; k++) {
      await store.ingest(Array.from({ length: 5 }, (_, i) => ({ series: `big.s${i}`, time: at(k), value: k })));
    }
    await vi.waitFor(() => expect(store.stats().flushes).toBeGreaterThan(0), { timeout: 5000, interval: 20 });
    expect(journal.checkpointSeq).toBeGreaterThan(0);
    await store.close();
    await journal.close();
  });
});

describe('SeriesStore.open', () => {
  it('replays onto a journal opened elsewhere, reading no archive until needed', async () => {
    const config = testConfig();
    const journal = await SampleJournal.open(journalDir(config));
    await journal.append(samplesOf('pre.one', [1, 2]));
    const store = await SeriesStore.open({ config, journal });
    expect(store.stats()).toMatchObject({ pending: 2, openArchives: 0, samplesIngested: 0 });
    await store.close();
    expect(existsSync(archiveOf(config.dataDir, 'pre.one'))).toBe(true);
    await journal.close();
  });

  it('drops journaled samples that no series can take instead of failing to open', async () => {
    const config = testConfig();
    const journal = await SampleJournal.open(journalDir(config));
    await journal.append([{ series: 'hôte/../x', time: at(1), value: 1 }, ...samplesOf('ok', [1, 2])]);
    const { log, lines } = recordingLogger();
    const store = await SeriesStore.open({ config, journal, log });
    expect(store.stats()).toMatchObject({ pending: 2, samplesDropped: 1 });
    expect(lines.some((l) => l.level === 'error' && l.msg.includes('dropped'))).toBe(true);
    expect(await store.flush()).toMatchObject({ series: 1, samples: 2 });
    expect(journal.checkpointSeq).toBe(1);
    await store.close();
    await journal.close();
  });
});
