/**
 * `ringmon agent` against `ringmon serve`, both real processes: the server
 * goes away and comes back, the agent is killed with SIGKILL twice, and
 * every sample the agent's slurper produced must be in the server's archive
 * exactly once.
 *
 * The slurper (a TypeScript file in a temporary folder, importing
 * `ringmon/slurper`) numbers its runs 1, 2, 3, ... in its ctx.stateDir,
 * across agent restarts, and logs each sample it returns (`time number`)
 * before returning it. The series' archive keeps LAST at a
 * 1-s step with a heartbeat of an hour, so a row holds the value of the
 * first sample at or after its time. The check compares every row between
 * the first and the last sample with that prediction: a lost sample shows
 * as a row holding the next sample's number, a sample stored at another
 * time (sent twice with a new time) as a number out of place.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { freePort } from '../helpers/free-port.js';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ringmon-agent-cli-'));
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

function ringmon(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [join(root, 'bin', 'ringmon.js'), ...args], { cwd: dir, env: { ...process.env, ...env } });
  children.add(child);
  const run: Run = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code) => (children.delete(child), resolve(code)))),
  };
  child.stdout!.on('data', (d: Buffer) => (run.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (run.stderr += d.toString()));
  return run;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The agent's slurper: numbers its runs in its own state folder (ctx.stateDir), so the count survives restarts and kills. */
const PROBE = `import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineSlurper, Type } from 'ringmon/slurper';

export default defineSlurper({
  name: 'probe',
  description: 'Numbers its runs across restarts and logs every sample it returns.',
  options: Type.Object({ logFile: Type.String() }),
  async collect(ctx, options) {
    const stateFile = join(ctx.stateDir, 'runs');
    const n = (existsSync(stateFile) ? Number(readFileSync(stateFile, 'utf8')) : 0) + 1;
    writeFileSync(stateFile, String(n));
    const time = Math.floor(ctx.now);
    appendFileSync(options.logFile, time + ' ' + n + '\\n');
    return [{ series: 'seq', value: n, time }];
  },
});
`;

const logFile = join(dir, 'probe.log');

/** What the slurper returned so far: [time, number] in order. */
function emitted(): [number, number][] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => line.split(' ').map(Number) as [number, number]);
}

/** The newest spool segment and its size: it changes when a batch is written to the spool. */
function spoolTip(): string {
  const spool = join(dir, 'spool');
  const newest = existsSync(spool) ? readdirSync(spool).filter((f) => f.endsWith('.rms')).sort().at(-1) : undefined;
  return newest === undefined ? '' : `${newest}:${statSync(join(spool, newest)).size}`;
}

/**
 * Waits for a moment between two runs: a new sample was returned and written
 * to the spool, and the next run is most of a second away. A kill then tests
 * the spool, not the luck of timing (a sample returned but not yet spooled
 * when the process dies is lost by design, and would fail the check).
 */
async function betweenRuns(): Promise<void> {
  const count = emitted().length;
  const tip = spoolTip();
  await until('a new run', () => emitted().length > count);
  await until('its batch in the spool', () => spoolTip() !== tip);
  await sleep(50);
}

describe('ringmon agent', () => {
  it('prints its help, and refuses a bad config with one line naming each key', async () => {
    const help = ringmon(['agent', '--help']);
    expect(await help.exited).toBe(0);
    expect(help.stdout).toContain('Usage: ringmon agent --server URL --token-file FILE --config agent.yaml');
    writeFileSync(join(dir, 'bad.yaml'), 'spool: { maxBytes: 12 }\nheartbeatSeconds: soon\ninstances:\n  - { slurper: http, name: x, every: 0s }\n  - { slurper: nope, name: y, every: 1s }\n');
    writeFileSync(join(dir, 'some.token'), 'rmt_whatever\n', { mode: 0o600 });
    const bad = ringmon(['agent', '--server', 'http://127.0.0.1:1', '--token-file', 'some.token', '--config', 'bad.yaml']);
    expect(await bad.exited).toBe(1);
    const lines = bad.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ringmon agent: invalid configuration in bad.yaml: /);
    for (const key of ['spool.maxBytes', 'heartbeatSeconds', 'instances[0].every']) expect(lines[0]).toContain(key);
    const unknown = ringmon(['agent', '--server', 'http://127.0.0.1:1', '--token-file', 'some.token']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.stderr).toContain('missing --config');
  });

  it('delivers every sample exactly once through a server outage and two kill -9s of the agent', async () => {
    const port = await freePort();
    const dataDir = join(dir, 'data');
    mkdirSync(join(dir, 'slurpers'), { recursive: true });
    writeFileSync(join(dir, 'slurpers', 'probe.ts'), PROBE);
    writeFileSync(join(dir, 'agent.token'), `${addToken(join(dataDir, 'tokens'), 'probe-agent', 'ingest')}\n`, { mode: 0o600 });
    const viewer = addToken(join(dataDir, 'tokens'), 'eve', 'viewer');
    writeFileSync(
      join(dir, 'ringmon.yaml'),
      [
        `listen: { port: ${port} }`,
        `dataDir: ${dataDir}`,
        'archives:',
        '  rules:',
        '    - { match: "probe.**", step: 1s, heartbeat: 1h, rras: ["RRA:LAST:0.5:1:1h"] }',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'agent.yaml'),
      [
        'name: probe-agent',
        'slurperDirs: [slurpers]',
        'instances:',
        `  - { slurper: probe, name: probe.counter, every: 1s, options: { logFile: ${logFile} } }`,
        'spool: { dir: spool, maxBytes: 1MiB }',
        'upload: { maxBackoffSeconds: 0.5, stopDrainSeconds: 10 }',
        'heartbeatSeconds: 1',
        '',
      ].join('\n'),
    );
    const serve = (): Run => ringmon(['serve', '--config', 'ringmon.yaml']);
    const agent = (): Run => ringmon(['agent', '--config', 'agent.yaml'], { RINGMON_URL: `http://127.0.0.1:${port}`, RINGMON_TOKEN_FILE: 'agent.token' });
    const api = async (path: string): Promise<{ status: number; json: any }> => { // any: the test walks the API's JSON
      const res = await request(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${viewer}` } });
      return { status: res.statusCode, json: await res.body.json() };
    };
    const lastStored = async (): Promise<number | undefined> => (await api('/api/v1/series?match=probe.counter.seq')).json.series[0]?.lastValue;
    const atLeast = (n: number) => () => emitted().length >= n;

    let server = serve();
    await until('the server to listen', () => server.stdout.includes('ringmon listening'));
    let first = agent();
    await until('three samples stored', async () => ((await lastStored()) ?? 0) >= 3);

    // The server goes away; the agent keeps collecting into its spool.
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const beforeOutage = emitted().length;
    await until('three samples during the outage', atLeast(beforeOutage + 3));
    expect(first.stdout).toContain('cannot deliver to the server');

    // Killed with batches in the spool that the server never saw; they must survive.
    await betweenRuns();
    first.child.kill('SIGKILL');
    await first.exited;
    const second = agent();
    await until('the second agent to resume', () => second.stdout.includes('resuming with batches'));
    await until('two more samples during the outage', atLeast(emitted().length + 2));

    server = serve();
    await until('the server to listen again', () => server.stdout.includes('ringmon listening'));
    await until('the backlog delivered', async () => (await lastStored()) === emitted().at(-1)?.[1]);
    expect(second.stdout).toContain('the server answers again');

    // Killed again while connected; a batch sent but not acknowledged is sent again and counted as a duplicate.
    await betweenRuns();
    second.child.kill('SIGKILL');
    await second.exited;
    const third = agent();
    await until('three more samples', atLeast(emitted().length + 3));
    await betweenRuns();
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    const stopped = third.stdout.split('\n').filter((l) => l.includes('stopped;')).map((l) => JSON.parse(l) as { pendingSamples: number; skippedSamples: number; rejectedSamples: number });
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatchObject({ pendingSamples: 0, skippedSamples: 0, rejectedSamples: 0 });

    const samples = emitted();
    expect(samples.length).toBeGreaterThanOrEqual(12);
    const times = samples.map(([t]) => t);
    // The check below assumes one sample per second at most; runs are 1 s apart on a fixed grid.
    expect(new Set(times).size).toBe(times.length);
    expect(samples.map(([, n]) => n)).toEqual(samples.map((_, i) => i + 1));
    // The run count lives in the instance's state folder, under the spool's directory.
    expect(readFileSync(join(dir, 'spool', 'slurper-state', 'probe.counter', 'runs'), 'utf8')).toBe(String(samples.length));

    const [tFirst, tLast] = [times[0], times.at(-1)!];
    const fetched = await api(`/api/v1/fetch?series=probe.counter.seq&cf=LAST&start=${tFirst}&end=${tLast}`);
    expect(fetched.status).toBe(200);
    const rows = new Map<number, number | null>(fetched.json.series[0].rows.map((r: [number, number | null]) => [r[0], r[1]]));
    const wrong: string[] = [];
    let next = 1;
    for (let t = tFirst + 1; t <= tLast; t++) {
      while (samples[next][0] < t) next++;
      const expected = samples[next][1];
      if (rows.get(t) !== expected) wrong.push(`${t}: stored ${rows.get(t)}, expected sample ${expected}`);
    }
    expect(wrong).toEqual([]);

    // The heartbeat reports the spool as it was when sent: wait for one sent after the last upload drained it.
    let agents: { spooledSamples: number; lastSeenAgoSeconds: number }[] = [];
    await until('a heartbeat reporting the drained spool', async () => {
      agents = (await api('/api/v1/agents')).json.agents;
      return agents.length === 1 && agents[0].spooledSamples === 0;
    });
    expect(agents).toHaveLength(1);
    expect(agents[0]).toMatchObject({ name: 'probe-agent', spooledSamples: 0, instances: [{ name: 'probe.counter', slurper: 'probe', up: true }] });
    expect(agents[0].lastSeenAgoSeconds).toBeLessThan(10);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 120_000);

  it("passes the thresholds an agent's slurpers offer to the server's alarms, and fractional counters as DCOUNTER", async () => {
    const base = join(dir, 'offered');
    const dataDir = join(base, 'data');
    for (const folder of ['agent-slurpers', 'server-slurpers']) mkdirSync(join(base, folder), { recursive: true });
    // Both import the contract as a user's file does, from folders with no node_modules near them.
    writeFileSync(join(base, 'agent-slurpers', 'remote.ts'), REMOTE);
    writeFileSync(join(base, 'server-slurpers', 'local.ts'), LOCAL);
    const port = await freePort();
    writeFileSync(join(base, 'agent.token'), `${addToken(join(dataDir, 'tokens'), 'remote-agent', 'ingest')}\n`, { mode: 0o600 });
    const admin = addToken(join(dataDir, 'tokens'), 'ops', 'admin');
    writeFileSync(
      join(base, 'ringmon.yaml'),
      [
        `listen: { port: ${port} }`,
        `dataDir: ${dataDir}`,
        'archives:',
        '  default: { step: 1s, heartbeat: 10s, rras: ["RRA:AVERAGE:0.5:1:1h"] }',
        'slurpers:',
        `  dirs: [${join(base, 'server-slurpers')}]`,
        '  instances:',
        '    - { slurper: local, name: srv.local, every: 1s }',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(base, 'agent.yaml'),
      [
        'name: remote-agent',
        'slurperDirs: [agent-slurpers]',
        'instances:',
        '  - { slurper: remote, name: remote.box, every: 1s }',
        '  - { slurper: disk, name: remote.disk, every: 1s, options: { mounts: [/], warningPercent: 80, criticalPercent: 90 } }',
        'spool: { dir: spool, maxBytes: 1MiB }',
        'upload: { maxBackoffSeconds: 0.5 }',
        '',
      ].join('\n'),
    );
    const server = ringmon(['serve', '--config', join(base, 'ringmon.yaml')]);
    await until('the server to listen', () => server.stdout.includes('ringmon listening'));
    const agent = ringmon(['agent', '--config', join(base, 'agent.yaml')], { RINGMON_URL: `http://127.0.0.1:${port}`, RINGMON_TOKEN_FILE: join(base, 'agent.token') });
    const api = async (path: string, method: 'GET' | 'POST' = 'GET'): Promise<any> => { // any: the test walks the API's JSON
      const res = await request(`http://127.0.0.1:${port}${path}`, { method, headers: { authorization: `Bearer ${admin}` } });
      const body = await res.body.text();
      expect(res.statusCode, `${path}: ${body}`).toBe(200);
      return JSON.parse(body);
    };
    try {
      const alarmOf = async (series: string): Promise<any> => (await api(`/api/v1/alarms?series=${series}`)).alarms[0]; // any: as above
      await until('the offered thresholds to alarm the agent\'s series', async () => (await alarmOf('remote.box.disk.used_percent'))?.state === 'CRITICAL');
      const full = await alarmOf('remote.box.disk.used_percent');
      expect(full).toMatchObject({
        rule: 'offered',
        value: 97,
        thresholds: { warning: { range: '85', low: 0, high: 85, inside: false }, critical: { range: '95', low: 0, high: 95, inside: false } },
      });
      await until('the disk slurper\'s thresholds to arrive', async () => (await alarmOf('remote.disk.mount.root.used_percent')) !== undefined);
      expect(await alarmOf('remote.disk.mount.root.used_percent')).toMatchObject({ rule: 'offered', thresholds: { warning: { range: '80' }, critical: { range: '90' } } });
      // A series offered nothing is not alarmed.
      expect(await alarmOf('remote.box.busy_seconds')).toBeUndefined();

      const started = Math.floor(Date.now() / 1000);
      let rates: number[] = [];
      await until('four steps of the counter archived', async () => {
        await api('/api/v1/admin/flush', 'POST');
        const fetched = await api(`/api/v1/fetch?series=remote.box.busy_seconds&start=${started}&end=${Math.max(started + 1, Math.floor(Date.now() / 1000))}`);
        rates = (fetched.series[0].rows as [number, number | null][]).map(([, v]) => v).filter((v): v is number => v !== null);
        return rates.length >= 4;
      });
      const listed = await api('/api/v1/series?match=remote.box.**');
      const counter = listed.series.find((x: { series: string }) => x.series === 'remote.box.busy_seconds');
      expect(JSON.stringify(counter)).toContain('DCOUNTER');
      // The fractions are kept: COUNTER would have refused them, a rounded-down counter would not give a steady 0.25.
      // The first row may be the new archive's first step, only partly covered (rrdtool's rule); the rest are whole.
      for (const rate of rates.slice(1)) expect(rate).toBeCloseTo(0.25, 3);

      // The server's own slurper file loaded from its folder too, and kept its state where the docs say.
      expect((await api('/api/v1/series?match=srv.local.**')).series.map((x: { series: string }) => x.series)).toContain('srv.local.value');
      expect(readFileSync(join(dataDir, 'slurper-state', 'srv.local', 'note'), 'utf8')).toBe('kept');
    } finally {
      agent.child.kill('SIGTERM');
      expect(await agent.exited).toBe(0);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
    expect(agent.stdout).not.toContain('threshold not sent');
  }, 120_000);
});

/** The agent's slurper in the thresholds test: a disk it says is full, by thresholds it offers, and a counter of seconds with fractions. */
const REMOTE = `import { defineSlurper, Type } from 'ringmon/slurper';

export default defineSlurper({
  name: 'remote',
  description: 'A full disk and a counter of busy seconds.',
  options: Type.Object({}),
  async collect(ctx) {
    return [
      { series: 'disk.used_percent', value: 97, thresholds: { warning: '85', critical: '95' } },
      { series: 'busy_seconds', value: ctx.now / 4, kind: 'DCOUNTER' },
    ];
  },
});
`;

/** The server's own slurper in the thresholds test; it leaves a note in its state folder. */
const LOCAL = `import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineSlurper, Type } from 'ringmon/slurper';

export default defineSlurper({
  name: 'local',
  description: 'A constant, and a note in its state folder.',
  options: Type.Object({}),
  async collect(ctx) {
    await writeFile(join(ctx.stateDir, 'note'), 'kept');
    return [{ series: 'value', value: 5 }];
  },
});
`;
