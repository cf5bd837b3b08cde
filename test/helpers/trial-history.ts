/**
 * A real server over real archives holding a known week, for trying rules
 * against history (POST /api/v1/rules/try, `ringmon rules try`): archives
 * written with the archive engine before the server starts, then
 * startTestServer with its data directory there, and an operator token.
 *
 *   host.a.cpu    one-minute rows, 50 + 40 sin(2πk/1440): above 80 once a day, about 6.5 h each time
 *   host.b.cpu    one-minute rows, 95 for 5 minutes every 4 hours (42 spikes), else 50; keeps LAST rows
 *   coarse.c.cpu  one-minute rows for a day only, five-minute rows for 8 days: the sine again
 *
 * The week is the 10,080 rows from FROM + 60 to UNTIL = FROM + 7 d, which
 * ends two minutes before the test started.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createArchive, updateArchive, type ArchiveDefinition } from '../../archive/index.js';
import { addToken } from '../../server/auth/token-file.js';
import { archivePath } from '../../server/store/series-paths.js';
import { freePort } from './free-port.js';
import { startTestServer, type TestServer } from './test-server.js';

export const STEP = 60;
export const DAY = 86_400;
export const ROWS = 7 * (DAY / STEP);
const ALIGNED_NOW = Math.floor(Date.now() / 1000 / 300) * 300;
export const UNTIL = ALIGNED_NOW - 300;
export const FROM = UNTIL - 7 * DAY;

export const sine = (k: number): number => 50 + 40 * Math.sin((2 * Math.PI * k) / 1440);
export const spikes = (k: number): number => (k % 240 >= 100 && k % 240 < 105 ? 95 : 50);

const definition = (rras: ArchiveDefinition['rras']): ArchiveDefinition => ({
  step: STEP,
  dataSources: [{ name: 'value', type: 'GAUGE', heartbeat: 3 * STEP, min: NaN, max: NaN }],
  rras,
});

/** Writes `series`' archive under `dataDir` with the rows k = 1..ROWS of `value` at FROM + k × STEP. */
export function seedSeries(dataDir: string, series: string, def: ArchiveDefinition, value: (k: number) => number): void {
  const path = archivePath(join(dataDir, 'archives'), series);
  mkdirSync(dirname(path), { recursive: true });
  createArchive(path, def, { start: FROM, initialRow: () => 0 });
  updateArchive(path, Array.from({ length: ROWS }, (_, i) => ({ time: FROM + (i + 1) * STEP, values: [value(i + 1)] })));
}

export interface TrialServer extends TestServer {
  readonly base: string;
  readonly operator: string;
}

/** The server over the week above; `yaml` is added to its config (alarms...); `seedMore` writes more archives under the data directory first. */
export async function startTrialServer(yaml = '', seedMore?: (dataDir: string) => void): Promise<TrialServer> {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'ringmon-trial-')), 'data');
  const fine = { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 8 * 1440 } as const;
  seedSeries(dataDir, 'host.a.cpu', definition([fine, { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 60, rows: 24 * 400 }]), sine);
  seedSeries(dataDir, 'host.b.cpu', definition([fine, { cf: 'LAST', xff: 0.5, pdpPerRow: 5, rows: 8 * 288 }]), spikes);
  seedSeries(dataDir, 'coarse.c.cpu', definition([{ cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 1440 }, { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 5, rows: 8 * 288 }]), sine);
  seedMore?.(dataDir);
  const server = await startTestServer(`listen:\n  port: ${await freePort()}\ndataDir: ${dataDir}\nlog:\n  level: warn\nslurpers:\n  instances: []\n${yaml}`);
  const operator = addToken(server.config.auth.tokensFile, 'tuner', 'operator');
  return {
    ...server,
    base: server.server.url,
    operator,
    stop: async () => {
      await server.stop();
      rmSync(dirname(dataDir), { recursive: true, force: true });
    },
  };
}
