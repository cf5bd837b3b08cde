/**
 * Slurper instances changed in place by SIGHUP, on a real `ringmon serve`.
 * A slurper file of the test's (`tick`) writes one line when each run
 * starts and one when it ends, so the test sees every run of every
 * instance. Four instances run every second; the file is rewritten (one
 * kept, one removed, one with a changed option, one added) and SIGHUP
 * sent: the log names what was started, stopped and restarted; the added
 * instance's series appear; the removed one starts no run after the
 * reload; the changed one runs with its new option and never beside its
 * old self; the kept one runs on, no turn missed and no two runs at once.
 * Then a bad file on SIGHUP is refused naming the key, the process stays
 * up and every instance keeps running; POST /api/v1/admin/reload answers
 * with what changed.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { ringmonLauncher, type RingmonProcess } from '../../helpers/ringmon-process.js';
import { until } from '../../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-slurper-reload-'));
const launcher = ringmonLauncher(dir);
afterAll(() => {
  launcher.killAll();
  rmSync(dir, { recursive: true, force: true });
});

const runs = join(dir, 'runs.log');

const TICK = `import { appendFile } from 'node:fs/promises';
import { defineSlurper, Type } from 'ringmon/slurper';

export default defineSlurper({
  name: 'tick',
  description: 'Notes the start and end of each run in a file; its sample is the option value.',
  options: Type.Object({ file: Type.String(), value: Type.Number() }),
  async collect(ctx, options) {
    await appendFile(options.file, \`start \${ctx.instance} \${Date.now()} \${options.value}\\n\`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await appendFile(options.file, \`end \${ctx.instance} \${Date.now()} \${options.value}\\n\`);
    return [{ series: 'value', value: options.value }];
  },
});
`;

interface Run {
  readonly instance: string;
  readonly start: number;
  readonly end?: number;
  readonly value: number;
}

/** Every run noted so far, in order of start, with its end when it ended. */
function readRuns(): Run[] {
  const open = new Map<string, Run>();
  const all: Run[] = [];
  for (const line of existsSync(runs) ? readFileSync(runs, 'utf8').split('\n') : []) {
    const [what, instance, at, value] = line.split(' ');
    if (what === 'start') {
      const run = { instance, start: Number(at), value: Number(value) };
      open.set(instance, run);
      all.push(run);
    } else if (what === 'end') {
      const run = open.get(instance);
      if (run !== undefined) all[all.indexOf(run)] = { ...run, end: Number(at) };
      open.delete(instance);
    }
  }
  return all;
}

const tick = (name: string, value: number): string => `    - { slurper: tick, name: ${name}, every: 1s, options: { file: ${runs}, value: ${value} } }`;

describe('slurper instances changed by a reload', () => {
  it('starts the added, stops the removed, restarts the changed and leaves the kept one running; a bad file changes nothing', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const dataDir = join(dir, 'data');
    mkdirSync(join(dir, 'mine'));
    writeFileSync(join(dir, 'mine', 'tick.ts'), TICK);
    const viewer = addToken(join(dataDir, 'tokens'), 'eve', 'viewer');
    const admin = addToken(join(dataDir, 'tokens'), 'ops', 'admin');
    const config = (instances: string[], extra: string[] = []): void =>
      writeFileSync(
        join(dir, 'ringmon.yaml'),
        ['log: { level: info }', `listen: { port: ${port} }`, `dataDir: ${dataDir}`, 'slurpers:', `  dirs: [${join(dir, 'mine')}]`, '  instances:', ...instances, ...extra, ''].join('\n'),
      );
    config([tick('lab.kept', 1), tick('lab.gone', 1), tick('lab.changed', 1)]);
    const server: RingmonProcess = launcher.run(['serve', '--config', 'ringmon.yaml']);
    let exitCode: number | null | undefined;
    void server.exited.then((c) => (exitCode = c));
    /** Sends SIGHUP and waits for the reload's log line (the n-th with `marker`). */
    const hangUp = async (marker: string): Promise<void> => {
      const before = server.output().split(marker).length;
      server.kill('SIGHUP');
      await until(() => server.output().split(marker).length > before || exitCode !== undefined, `'${marker}' in the log`, 60_000);
      expect(exitCode, server.output()).toBeUndefined();
    };
    const seriesOf = async (pattern: string): Promise<string[]> =>
      ((await apiCall(base, 'GET', `/api/v1/series?match=${pattern}`, viewer)).json.series as { series: string }[]).map((s) => s.series);
    const runsOf = (instance: string, after = 0): Run[] => readRuns().filter((r) => r.instance === instance && r.start > after);
    try {
      await until(() => server.output().includes('ringmon listening'), 'the server to listen', 60_000);
      await until(() => ['lab.kept', 'lab.gone', 'lab.changed'].every((i) => runsOf(i).filter((r) => r.end).length >= 3), 'three runs of each instance', 60_000);

      config([tick('lab.kept', 1), tick('lab.changed', 2), tick('lab.added', 3)]);
      const sentAt = Date.now();
      await hangUp('reload: ');
      const reloadedAt = Date.now();
      expect(server.output()).toMatch(/reload: applied slurpers\.instances \(started lab\.added; stopped lab\.gone; restarted lab\.changed\)/);

      await until(async () => (await seriesOf('lab.added.**')).includes('lab.added.value'), "the added instance's series", 30_000);
      await until(() => runsOf('lab.kept', reloadedAt + 3000).length > 0 && runsOf('lab.changed', reloadedAt + 3000).length > 0, 'runs 3 s after the reload', 30_000);

      // The removed instance: no run starts once the reload is done, and none was left half-way.
      expect(runsOf('lab.gone', reloadedAt)).toEqual([]);
      const gone = runsOf('lab.gone');
      expect(gone.every((r) => r.end !== undefined || r.start >= sentAt), JSON.stringify(gone)).toBe(true);
      // The changed one: its new option after the reload, never two runs at once.
      expect(runsOf('lab.changed', reloadedAt).every((r) => r.value === 2)).toBe(true);
      const changed = runsOf('lab.changed');
      for (let i = 1; i < changed.length; i++) expect(changed[i].start, 'the restarted instance never runs beside its old self').toBeGreaterThanOrEqual(changed[i - 1].end ?? Infinity);
      // The kept one: every turn taken (no gap over 1.9 s), one run at a time.
      const kept = runsOf('lab.kept');
      const gaps = kept.slice(1).map((r, i) => r.start - kept[i].start);
      expect(Math.max(...gaps), `start-to-start gaps of lab.kept: ${gaps.join(', ')}`).toBeLessThan(1900);
      for (let i = 1; i < kept.length; i++) expect(kept[i].start).toBeGreaterThanOrEqual(kept[i - 1].end ?? Infinity);
      console.log(`lab.kept: ${kept.length} runs, largest start-to-start gap ${Math.max(...gaps)} ms (reload at ${sentAt}, answered ${reloadedAt - sentAt} ms later)`);

      // A bad file: refused naming the key, everything keeps running, the process stays.
      config([tick('lab.kept', 1)], ['    - { slurper: nope, name: lab.bad, every: 1s }']);
      await hangUp('reload refused');
      const refusedAt = Date.now();
      expect(server.output()).toMatch(/reload refused, the running config is kept: slurpers\.instances\[1\]\.slurper/);
      await until(() => ['lab.kept', 'lab.changed', 'lab.added'].every((i) => runsOf(i, refusedAt + 1000).length > 0), 'every instance running after the refused reload', 30_000);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect(exitCode).toBeUndefined();

      // POST /api/v1/admin/reload answers with the same account.
      config([tick('lab.kept', 1), tick('lab.changed', 2)]);
      const answer = await apiCall(base, 'POST', '/api/v1/admin/reload', admin);
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      expect(answer.json).toEqual({ applied: ['slurpers.instances (stopped lab.added)'], restartNeeded: [] });
      const answeredAt = Date.now();
      await until(() => runsOf('lab.kept', answeredAt + 1000).length > 0, 'lab.kept running on', 30_000);
      expect(runsOf('lab.added', answeredAt)).toEqual([]);
    } finally {
      server.stop();
      expect(await server.exited).toBe(0);
    }
  }, 240_000);
});
