/**
 * A new series' archive fits its cadence: declared (an interval with the
 * samples), inferred from its first samples (held until three arrive, or
 * archives.inferWithin passes), and the journal's checkpoint never passes a
 * held sample; a configured rule wins over any cadence. A real store over a
 * real journal and real archive files.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../archive/index.js';
import type { ServerConfig } from '../../../server/config/index.js';
import { archivePath } from '../../../server/store/index.js';
import { freshStoreRoot, openStore, testConfig } from './store-helpers.js';

freshStoreRoot();

const T = 1_700_006_400; // a multiple of 86,400: aligned to every ladder step

/** A fresh data directory with the built-in template (no archives.default) and one rule. */
function templateConfig(inferWithin = 1200): ServerConfig {
  const base = testConfig();
  return { ...base, archives: { rules: [{ match: 'ruled.**', type: 'GAUGE', step: 7, rras: ['RRA:AVERAGE:0.5:1:10'] }], inferWithin } };
}

const stepOf = (config: ServerConfig, series: string): number => {
  const file = openArchive(archivePath(`${config.dataDir}/archives`, series));
  try {
    return file.definition.step;
  } finally {
    file.close();
  }
};
const samples = (series: string, every: number, count: number, from = 0, extra: object = {}) =>
  Array.from({ length: count }, (_, k) => ({ series, time: T + (from + k) * every, value: from + k, ...extra }));

describe('the step of a new series', () => {
  it('comes from a declared interval at once, snapped to the ladder', async () => {
    const config = templateConfig();
    const { store, journal } = await openStore(config);
    await store.ingest(samples('d.a', 30, 1, 0, { interval: 30 }));
    await store.ingest(samples('d.b', 55, 1, 0, { interval: 55 }));
    await store.ingest(samples('d.c', 7200, 1, 0, { interval: 7200 }));
    await store.flush();
    expect([stepOf(config, 'd.a'), stepOf(config, 'd.b'), stepOf(config, 'd.c')]).toEqual([30, 60, 3600]);
    await store.close();
    await journal.close();
  });

  it('is inferred from three samples, the held ones applied; the checkpoint waits for them', async () => {
    const config = templateConfig();
    const { store, journal } = await openStore(config);
    await store.ingest(samples('i.five', 300, 1));
    await store.ingest(samples('ruled.x', 1, 3));
    await store.ingest(samples('i.five', 300, 1, 1));
    await store.flush();
    // A rule decides ruled.x at once; i.five is held, and so is the journal from its first batch on.
    expect(stepOf(config, 'ruled.x')).toBe(7);
    expect(existsSync(archivePath(`${config.dataDir}/archives`, 'i.five'))).toBe(false);
    expect(journal.checkpointSeq).toBe(0);
    await expect(store.fetch('i.five', { cf: 'AVERAGE', start: T, end: T + 600 })).rejects.toThrow();
    await store.ingest(samples('i.five', 300, 1, 2));
    await store.flush();
    expect(stepOf(config, 'i.five')).toBe(300);
    expect(journal.checkpointSeq).toBe(4);
    const rows = (await store.fetch('i.five', { cf: 'AVERAGE', start: T - 300, end: T + 600 })).rows;
    expect(rows.filter(([t]) => t >= T && t <= T + 600)).toEqual([[T, 0], [T + 300, 1], [T + 600, 2]]);
    await store.close();
    await journal.close();
  });

  it('takes the median gap, so one late sample or one missed run does not decide', async () => {
    const config = templateConfig();
    const { store, journal } = await openStore(config);
    await store.ingest([10, 22, 30, 40].map((s, i) => ({ series: 'm.late', time: T + s, value: i })));
    await store.ingest([0, 60, 180, 240].map((s, i) => ({ series: 'm.missed', time: T + s, value: i })));
    await store.flush();
    expect([stepOf(config, 'm.late'), stepOf(config, 'm.missed')]).toEqual([10, 60]);
    await store.close();
    await journal.close();
  });

  it('after archives.inferWithin: two samples give their gap, one sample a step of three times inferWithin', async () => {
    const config = templateConfig(1);
    const { store, journal } = await openStore(config);
    await store.ingest(samples('t.two', 900, 2));
    await store.ingest(samples('t.one', 900, 1));
    await store.flush();
    expect(existsSync(archivePath(`${config.dataDir}/archives`, 't.two'))).toBe(false);
    await sleep(1100);
    await store.flush();
    expect([stepOf(config, 't.two'), stepOf(config, 't.one')]).toEqual([900, 1]);
    expect(journal.checkpointSeq).toBe(2);
    await store.close();
    await journal.close();
  });

  it('keeps a declared interval across a restart while the series is held (journal format 2)', async () => {
    const config = templateConfig();
    const first = await openStore(config);
    // Two samples, no archive yet: held only in the journal when the store goes.
    await first.store.ingest(samples('r.undeclared', 60, 2));
    const { journal } = first;
    // Close the journal under the store, as a crash would: nothing flushed.
    await journal.close();
    const second = await openStore(config);
    await second.store.ingest(samples('r.undeclared', 60, 1, 2));
    await second.store.ingest(samples('r.declared', 3600, 1, 0, { interval: 3600 }));
    await second.journal.close();
    const third = await openStore(config);
    await third.store.flush();
    expect([stepOf(config, 'r.undeclared'), stepOf(config, 'r.declared')]).toEqual([60, 3600]);
    const rows = (await third.store.fetch('r.undeclared', { cf: 'AVERAGE', start: T - 60, end: T + 120 })).rows;
    expect(rows.filter(([t]) => t >= T && t <= T + 120)).toEqual([[T, 0], [T + 60, 1], [T + 120, 2]]);
    await third.store.close();
    await third.journal.close();
  });
});
