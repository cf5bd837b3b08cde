/**
 * A sample's message (a check's state line) becomes its series' last
 * message once the sample is accepted: kept while later samples bring none,
 * replaced by a later one, never taken from a refused sample, listed with
 * the series, and held in memory only (a reopen has none until the next
 * sample brings it).
 */
import { describe, expect, it } from 'vitest';
import { ingestOffered } from '../../../server/store/index.js';
import { freshStoreRoot, openStore, STEP, T0, testConfig } from './store-helpers.js';

freshStoreRoot();

const at = (k: number): number => T0 + k * STEP;

describe('SeriesStore: the last message of a series', () => {
  it('keeps the message of the last accepted sample that had one, and lists it', async () => {
    const config = testConfig();
    const { store, journal } = await openStore(config);
    await store.ingest([{ series: 'chk.state', time: at(1), value: 2, message: 'CRITICAL: disk full' }, { series: 'chk.other', time: at(1), value: 1 }]);
    await store.ingest([{ series: 'chk.state', time: at(2), value: 2 }]);
    let listed = await store.list('chk.*');
    expect(listed.map((s) => [s.series, s.message])).toEqual([['chk.other', undefined], ['chk.state', 'CRITICAL: disk full']]);
    expect(listed[0]).not.toHaveProperty('message');

    // Refused (not newer than the last update): its message is not the series' message.
    const refused = await store.ingest([{ series: 'chk.state', time: at(2), value: 0, message: 'OK: stale' }]);
    expect(refused.rejected).toHaveLength(1);
    await store.ingest([{ series: 'chk.state', time: at(3), value: 0, message: 'OK: room again' }]);
    await store.flush();
    listed = await store.list('chk.state');
    expect(listed).toMatchObject([{ series: 'chk.state', lastValue: 0, message: 'OK: room again' }]);
    await store.close();
    await journal.close();

    const reopened = await openStore(config);
    expect((await reopened.store.list('chk.state'))[0]).not.toHaveProperty('message');
    await reopened.store.close();
    await reopened.journal.close();
  });

  it('ingestOffered offers each threshold before the batch is stored and creates a declared kind', async () => {
    const config = testConfig();
    const { store, journal } = await openStore(config);
    const offered: string[] = [];
    let storedWhenOffered: number | undefined;
    const result = await ingestOffered(
      store,
      [
        { series: 'chk.state', time: at(1), value: 1, thresholds: { warning: '0', critical: '@2:2' }, message: 'WARNING: slow' },
        { series: 'chk.bytes', time: at(1), value: 100, kind: 'COUNTER' },
      ],
      (series, thresholds) => {
        storedWhenOffered ??= store.stats().samplesIngested;
        offered.push(`${series} ${thresholds.warning} ${thresholds.critical}`);
      },
    );
    expect(result).toEqual({ accepted: 2, rejected: [] });
    expect(offered).toEqual(['chk.state 0 @2:2']);
    expect(storedWhenOffered).toBe(0);
    await store.flush();
    const listed = await store.list('chk.*');
    expect(listed.map((s) => [s.series, s.definition.dataSources[0].type, s.message])).toEqual([['chk.bytes', 'COUNTER', undefined], ['chk.state', 'GAUGE', 'WARNING: slow']]);
    await store.close();
    await journal.close();
  });
});
