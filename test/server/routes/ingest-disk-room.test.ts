/**
 * Issue 14: "50,000 new series in 10 requests were all acknowledged in
 * 0.5 s; the flush then filled the disk to 100 %, 48,778 series stayed
 * pending and ingest answered 500." With a real `ringmon serve` whose data
 * directory is a 24 MiB tmpfs (root only) and archives.diskHeadroom 8MiB:
 * the same 10 requests are taken only as far as the disk has room, the rest
 * answered 507 saying why; the flush fails nowhere and leaves the headroom
 * free; a known series goes on; /metrics counts the refusals and the free
 * bytes; one warning is logged; Graphite lines of new series are refused
 * too; and a restart replays nothing that was refused.
 */
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { ringmonLauncher, type RingmonProcess } from '../../helpers/ringmon-process.js';
import { NO_SLURPERS, testServerYaml } from '../../helpers/server-config.js';
import { mountTinyFilesystem, unmountTinyFilesystem } from '../../helpers/tiny-filesystem.js';
import { until } from '../../helpers/wait.js';

const MiB = 2 ** 20;
const dir = mkdtempSync(join(tmpdir(), 'ringmon-disk-room-'));
const tinyFs = mountTinyFilesystem('24m');
const launcher = ringmonLauncher(dir);
afterAll(() => {
  launcher.killAll();
  unmountTinyFilesystem(tinyFs);
  rmSync(dir, { recursive: true, force: true });
});

const metric = (text: string, name: string): number => Number(new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);

describe('new series and a small disk, over HTTP', () => {
  it.skipIf(!tinyFs)('are refused with 507 past archives.diskHeadroom; nothing refused is stored, known series go on, all counted', async () => {
    const dataDir = join(tinyFs!, 'data');
    const [port, graphitePort] = [await freePort(), await freePort()];
    const token = addToken(join(dataDir, 'tokens'), 'ops', 'admin');
    writeFileSync(join(dir, 'ringmon.yaml'), testServerYaml({ port, dataDir, graphitePort }, NO_SLURPERS, { archives: { diskHeadroom: '8MiB' }, graphite: { host: '127.0.0.1' } }));
    const base = `http://127.0.0.1:${port}`;
    const start = (): Promise<RingmonProcess> => launcher.serve('ringmon.yaml', base, 60_000);
    const call = (method: 'GET' | 'POST', path: string, body?: unknown) => apiCall(base, method, path, token, body);
    const metrics = async () => (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    let proc = await start();
    let accepted = 0;
    try {
      const t = Math.floor(Date.now() / 60_000) * 60 - 3600;
      expect((await call('POST', '/api/v1/samples?interval=60', [{ series: 'known.load', t, v: 1 }])).json).toEqual({ accepted: 1, rejected: [] });
      expect((await call('POST', '/api/v1/admin/flush')).status).toBe(200);

      // 50,000 new series in 10 requests.
      const answers = [];
      for (let r = 0; r < 10; r++) {
        const batch = Array.from({ length: 5000 }, (_, i) => ({ series: `flood.r${r}.s${i}`, t, v: i }));
        answers.push(await call('POST', '/api/v1/samples?interval=60', batch));
      }
      accepted = answers.reduce((sum, a) => sum + (a.status === 200 ? a.json.accepted : 0), 0);
      // About 14 MiB of room at 180 kB an archive.
      expect(accepted).toBeGreaterThan(40);
      expect(accepted).toBeLessThan(100);
      expect(answers[0].status).toBe(200);
      expect(answers[0].json.rejected[0].reason).toMatch(/new series refused: the data directory's disk has .* MB free.*archives\.diskHeadroom keeps 8MiB.*needs 0\.18 MB/);
      for (const a of answers.slice(1)) {
        expect(a.status).toBe(507);
        expect(a.json.error).toMatchObject({ code: 'insufficient_storage', message: expect.stringMatching(/free.*archives\.diskHeadroom keeps 8MiB.*known series are still stored/) });
      }

      // The flush has room for all it acknowledged, and leaves the headroom.
      expect((await call('POST', '/api/v1/admin/flush')).json).toMatchObject({ series: accepted, samples: accepted });
      let text = await metrics();
      expect(metric(text, 'ringmon_samples_pending')).toBe(0);
      expect(metric(text, 'ringmon_flush_failures_total')).toBe(0);
      expect(metric(text, 'ringmon_series_refused_total{reason="disk"}')).toBe(50_000 - accepted);
      expect(metric(text, 'ringmon_series_refused_total{reason="limit"}')).toBe(0);
      expect(metric(text, 'ringmon_disk_free_bytes')).toBeGreaterThan(8 * MiB);
      const fs = statfsSync(tinyFs!);
      expect(fs.bavail * fs.bsize).toBeGreaterThan(7.5 * MiB);

      // A known series goes on.
      expect((await call('POST', '/api/v1/samples', [{ series: 'known.load', t: t + 60, v: 2 }])).json).toEqual({ accepted: 1, rejected: [] });
      // Graphite: a line of a new series is refused, one of a known series stored.
      const socket = connect(graphitePort, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.end(`graphite.fresh 1 ${t + 60}\nknown.load 3 ${t + 120}\n`);
      await until(async () => metric(await metrics(), 'ringmon_graphite_lines_accepted_total') + metric(await metrics(), 'ringmon_graphite_samples_rejected_total') === 2, 'the Graphite lines', 30_000);
      text = await metrics();
      expect(metric(text, 'ringmon_graphite_samples_rejected_total')).toBe(1);
      expect(metric(text, 'ringmon_series_refused_total{reason="disk"}')).toBe(50_000 - accepted + 1);
      const fetched = await call('GET', `/api/v1/fetch?series=known.load&start=${t - 60}&end=${t + 180}`);
      expect(fetched.status).toBe(200);

      // One warning for the whole episode.
      const warnings = proc
        .output()
        .split('\n')
        .filter((l) => l.includes('new series refused'));
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0])).toMatchObject({ level: 40, headroom: 8 * MiB });
    } finally {
      proc.stop();
      await proc.exited;
    }

    // A restart replays nothing refused: the series are exactly those acknowledged.
    proc = await start();
    try {
      const listed = await call('GET', '/api/v1/series?match=**');
      expect(listed.status).toBe(200);
      const names: string[] = listed.json.series.map((s: { series: string }) => s.series);
      expect(names).toContain('known.load');
      expect(names).not.toContain('graphite.fresh');
      expect(names.filter((n) => n.startsWith('flood.'))).toHaveLength(accepted);
      const text = await metrics();
      expect(metric(text, 'ringmon_samples_pending')).toBe(0);
    } finally {
      proc.stop();
      await proc.exited;
    }
  }, 240_000);
});
