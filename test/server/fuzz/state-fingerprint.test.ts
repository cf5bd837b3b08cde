/**
 * The fuzz test's state fingerprint (state-fingerprint.ts) against what a
 * real `ringmon serve` does on its own, with no request refused: a sample
 * it acknowledged that its archive refuses (a COUNTER value that is not an
 * integer) is listed by GET /api/v1/series as the series' last update while
 * pending, and quarantined when a read of the series (or a flush) applies
 * it, by the store's contract (stored or reported), so the listed last
 * update goes back to the archive's. That is how the CI's fuzz run with
 * FUZZ_SEED=1720674006 saw `ops` change around a batch of refused requests.
 * A fingerprint taken after settle() starts from that settled state: the
 * same read then changes nothing.
 */
import { join } from 'node:path';
import { Pool } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { launcherInTempDir } from '../../helpers/ringmon-process.js';
import { NO_SLURPERS } from '../../helpers/server-config.js';
import { differences, settle, stateFingerprint } from './state-fingerprint.js';

const { dir, launcher } = launcherInTempDir('ringmon-fingerprint-');
const clients: Pool[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

describe('the state fingerprint of the fuzz test', () => {
  it('sees a read quarantine an acknowledged sample, and starts after settle() from a state no read moves', async () => {
    const tokensFile = join(dir, 'data', 'tokens');
    const admin = addToken(tokensFile, 'fingerprint-admin', 'admin');
    // No timed flush during the test: only the read applies the samples.
    const { base } = await launcher.serveIn(dir, { log: 'warn' }, NO_SLURPERS, { writeBehind: { flushIntervalSeconds: 86_400 } });
    const client = new Pool(base);
    clients.push(client);
    const source = { client, adminToken: admin, tokensFile };
    const now = Math.floor(Date.now() / 1000);
    const post = async (samples: object[]) => {
      const answer = await apiCall(base, 'POST', '/api/v1/samples', admin, samples);
      expect(answer, JSON.stringify(answer.json)).toMatchObject({ status: 200, json: { accepted: samples.length, rejected: [] } });
    };
    const readOps = async () => expect((await apiCall(base, 'GET', `/api/v1/fetch?series=ops&start=${now - 600}&end=${now}`, admin)).status).toBe(200);
    const quarantined = async () => ((await apiCall(base, 'GET', '/api/v1/admin/quarantine?series=ops', admin)).json.samples as { t: number }[]).map((s) => s.t).sort();

    // A COUNTER series (its archive made at once, for its declared kind), then a value its archive refuses, acknowledged.
    await post([{ series: 'ops', t: now - 120, v: 1, kind: 'COUNTER', interval: 30 }]);
    await post([{ series: 'ops', t: now - 90, v: 1.867203409635926e-237 }]);
    const listed = await stateFingerprint(source);
    expect(listed.series).toContain(`["ops",${(now - 90) * 1000},1.867203409635926e-237,`);
    await readOps();
    expect(differences(listed, await stateFingerprint(source))).toEqual([expect.stringMatching(/^series: \["ops",\d+,1\.867203409635926e-237,.* -> \["ops",\d+,1,/)]);

    // Settled first: the next refused value is quarantined before the fingerprint, and the read moves nothing.
    await post([{ series: 'ops', t: now - 60, v: 0.5 }]);
    await settle(source);
    const settled = await stateFingerprint(source);
    await readOps();
    expect(differences(settled, await stateFingerprint(source))).toEqual([]);
    // Both reported: the quarantine file is written at a flush's checkpoint.
    await settle(source);
    expect(await quarantined()).toEqual([now - 90, now - 60]);
  }, 120_000);
});
