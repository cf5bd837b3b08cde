/**
 * Everything `ringmon serve` writes under its data directory is owner-only.
 * A real server process (umask 022, as most systems give) on a fresh data
 * directory: samples ingested and flushed to archives, an alarm fired (its
 * state and notice in the database), a sample quarantined (its archive is
 * a folder), an agent heartbeat (agents.json), a report run (its CSV), the
 * log-matches example slurper run by the server (its slurper-state), the
 * database with its -wal and -shm, the data directory's lock; then a clean
 * stop. While running and after, no file or folder under
 * the data directory may grant group or others anything (mode & 0o077 == 0).
 */
import { appendFileSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { archivePath } from '../../server/store/index.js';
import { apiCall } from '../helpers/api-call.js';
import { freePort } from '../helpers/free-port.js';
import { launcherInTempDir, type RingmonProcess } from '../helpers/ringmon-process.js';
import { ONE_SECOND_ARCHIVES, opsMail, testServerYaml } from '../helpers/server-config.js';
import { until } from '../helpers/wait.js';

const repo = join(import.meta.dirname, '..', '..');
const { dir, launcher } = launcherInTempDir('ringmon-data-dir-modes-');
const dataDir = join(dir, 'data');

/** Every entry under `root` (itself included), relative, with its permission bits. */
function walk(root: string): Map<string, number> {
  const found = new Map<string, number>();
  const visit = (path: string): void => {
    const stat = lstatSync(path);
    found.set(relative(root, path) || '.', stat.mode & 0o777);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return found;
}

/** The entries that group or others may use, as `path mode`. */
function tooOpen(entries: Map<string, number>): string[] {
  return [...entries].filter(([, mode]) => (mode & 0o077) !== 0).map(([path, mode]) => `${path} ${mode.toString(8)}`);
}

function serve(config: string): RingmonProcess {
  // The usual umask: a file or folder made without an explicit mode would be 0644 or 0755.
  const saved = process.umask(0o022);
  const server = launcher.run(['serve', '--config', config]);
  process.umask(saved);
  return server;
}

describe('the data directory of a running server', () => {
  it('holds only owner-only files and folders', async () => {
    const port = await freePort();
    const logFile = join(dir, 'app.log');
    writeFileSync(logFile, '');
    const tokensFile = join(dir, 'tokens'); // outside the data directory, so the server is the one to make it
    const config = join(dir, 'ringmon.yaml');
    writeFileSync(
      config,
      testServerYaml({ port, dataDir, log: 'info', tokensFile }, ONE_SECOND_ARCHIVES, opsMail(await freePort()), {
        slurpers: {
          dirs: [join(repo, 'slurpers', 'examples')],
          instances: [{ slurper: 'log-matches', name: 'lab.log', every: '1s', options: { path: logFile, text: 'ERROR' } }],
        },
        alarms: { rules: [{ name: 'cpu-high', match: 'host.*.cpu', critical: '> 10', notify: ['ops'] }] },
      }),
    );
    const admin = addToken(tokensFile, 'ops', 'admin');
    const server = serve(config);
    try {
      await until(() => server.output().includes('ringmon listening'), `the server to listen: ${server.output()}`);
      const base = `http://127.0.0.1:${port}`;
      const t = Math.floor(Date.now() / 1000);
      // An archive that is a folder (made owner-only here) sends its samples to the quarantine.
      mkdirSync(archivePath(join(dataDir, 'archives'), 'q.dir'), { recursive: true, mode: 0o700 });
      const ingest = await apiCall(base, 'POST', '/api/v1/samples', admin, [
        { series: 'host.web01.cpu', t: t - 2, v: 12 },
        { series: 'host.web01.cpu', t: t - 1, v: 14 },
        { series: 'net.edge.rx', t: t - 1, v: 3 },
        { series: 'q.dir', t: t - 1, v: 1 },
      ]);
      expect(ingest).toMatchObject({ status: 200, json: { accepted: 4 } });
      await until(async () => (await apiCall(base, 'GET', '/api/v1/alarms', admin)).json.alarms.some((a: { series: string; state: string }) => a.series === 'host.web01.cpu' && a.state === 'CRITICAL'), 'the alarm to fire');
      const heartbeat = { name: 'edge-1', hostname: 'edge-1.example', version: '0.1.0', spooledSamples: 0, instances: [] };
      expect((await apiCall(base, 'POST', '/api/v1/agents/heartbeat', admin, heartbeat)).status).toBe(204);
      const report = await apiCall(base, 'POST', '/api/v1/reports/daily/run', admin);
      expect(report.status).toBe(200);
      appendFileSync(logFile, 'ERROR one\nfine\n');
      await until(() => walk(dataDir).has('slurper-state/lab.log/offset'), 'the slurper to keep its offset');
      expect((await apiCall(base, 'POST', '/api/v1/admin/flush', admin)).status).toBe(200);

      const running = walk(dataDir);
      expect([...running.keys()]).toEqual(
        expect.arrayContaining([
          '.',
          'ringmon.sqlite',
          'ringmon.sqlite-wal',
          'ringmon.sqlite-shm',
          'journal',
          'reports',
          relative(dataDir, report.json.file),
          'slurper-state',
          'slurper-state/lab.log',
          'slurper-state/lab.log/offset',
          'quarantine',
          'quarantine/samples.jsonl',
          'ringmon.lock',
          expect.stringMatching(/\.rma$/),
        ]),
      );
      expect(tooOpen(running), [...running.keys()].join(', ')).toEqual([]);

      server.stop();
      expect(await server.exited).toBe(0);
      const stopped = walk(dataDir);
      expect([...stopped.keys()]).toEqual(expect.arrayContaining(['agents.json']));
      expect(tooOpen(stopped), [...stopped.keys()].join(', ')).toEqual([]);
    } finally {
      server.kill('SIGKILL');
    }
  });
});
