/**
 * GET /api/v1/series (Store.list) tells a new series' archive definition
 * before the flush creates it: once its cadence is decided (a declared
 * interval, three samples) and its samples are no longer held, the listed
 * definition is the one its archive gets, so the flush changes nothing the
 * listing said (the fuzz test's state fingerprint once saw a step of 60
 * become 300 with no request asking for it). A real store over a real
 * journal and real archive files.
 */
import { describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../../server/config/index.js';
import { freshStoreRoot, openStore, testConfig } from './store-helpers.js';

freshStoreRoot();

const T = 1_700_006_400; // a multiple of 86,400: aligned to every ladder step

/** The built-in template (no archives.default, no rule): ringmon chooses each archive's step. */
function templateConfig(): ServerConfig {
  const base = testConfig();
  return { ...base, archives: { rules: [], inferWithin: 1200 } };
}

describe("the listing of a new series whose cadence is decided", () => {
  it('gives the definition its archive gets, before and after the flush', async () => {
    const config = templateConfig();
    const { store, journal } = await openStore(config);
    // Declared: one sample with its interval. Inferred: three samples 300 s apart.
    await store.ingest([{ series: 'declared.x', time: T, value: 1, interval: 300 }]);
    await store.ingest([0, 1, 2].map((k) => ({ series: 'inferred.x', time: T + 300 * k, value: k })));
    const listed = await store.list();
    expect(listed.map((s) => [s.series, s.held, s.definition.step])).toEqual([
      ['declared.x', undefined, 300],
      ['inferred.x', undefined, 300],
    ]);
    await store.flush();
    const archived = await store.list();
    expect(archived.map((s) => [s.series, s.definition])).toEqual(listed.map((s) => [s.series, s.definition]));
    await store.close();
    await journal.close();
  });
});
