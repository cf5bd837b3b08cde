/**
 * `ringmon downtime` through the real launcher (node bin/ringmon.js) as a
 * child process, against a real server on loopback: filing, listing,
 * ending, cancelling and showing, the token from a file or the
 * environment, and failures as one stderr line with exit 1 (2 for usage).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { loadConfig } from '../../server/config/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { freePort } from '../helpers/free-port.js';
import { runRingmon, type CommandRun } from '../helpers/ringmon-command.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-downtime-cli-'));
let server: RunningServer;
let writerFile: string;
let viewerToken: string;

beforeAll(async () => {
  writeFileSync(join(dir, 'ringmon.yaml'), 'log:\n  level: silent\n');
  const config = loadConfig(join(dir, 'ringmon.yaml'), { env: { RINGMON_LISTEN_PORT: String(await freePort()) }, cwd: dir });
  writerFile = join(dir, 'writer.token');
  writeFileSync(writerFile, `${addToken(config.auth.tokensFile, 'ops-alice', 'writer')}\n`, { mode: 0o600 });
  viewerToken = addToken(config.auth.tokensFile, 'grafana', 'viewer');
  server = await startServer(config);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

type Run = CommandRun;

/** Runs `ringmon downtime ARGS` with RINGMON_URL pointing at the server; `env` adds or overrides variables. */
function downtime(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return runRingmon(['downtime', ...args], { cwd: dir, env: { RINGMON_URL: server.url, RINGMON_TOKEN: undefined, ...env } });
}

const asWriter = (args: readonly string[]): Promise<Run> => downtime([...args, '--token-file', writerFile]);
const asViewer = (args: readonly string[]): Promise<Run> => downtime(args, { RINGMON_TOKEN: viewerToken });

function expectFailure(run: Run, code: number, message: RegExp): void {
  expect(run.stdout).toBe('');
  expect(run.code).toBe(code);
  expect(run.stderr).toMatch(/^ringmon downtime \w+: [^\n]+\n$/);
  expect(run.stderr).toMatch(message);
}

interface Listed {
  readonly id: number;
  readonly start: string;
  readonly end: string | null;
  readonly status: string;
  readonly author: string;
  readonly windows?: { start: string; end: string | null }[];
}

async function listJson(args: readonly string[]): Promise<Listed[]> {
  const run = await asViewer(['list', '--json', ...args]);
  expect(run.stderr).toBe('');
  return (JSON.parse(run.stdout) as { downtimes: Listed[] }).downtimes;
}

// Each start-up of the command costs 2 to 3 s of CPU (tsx loads the TypeScript sources): eight tests at once on 2 cores
// beside the other worker's file outgrow the 60 s default.
describe.concurrent('ringmon downtime', { timeout: 180_000 }, () => {
  it('adds a planned downtime with --to relative to --from, and lists it', async () => {
    const add = await asWriter(['add', '--scope', 'host.web01.*', '--from', '2026-12-01T08:00Z', '--to', '+2h', '--reason', 'kernel upgrade']);
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/^\d+\n$/);
    expect(add.stderr).toContain('Filed planned downtime');
    const id = Number(add.stdout);
    const [listed] = (await listJson(['--series', 'host.web01.cpu'])).filter((d) => d.id === id);
    expect(listed).toMatchObject({ start: '2026-12-01T08:00:00Z', end: '2026-12-01T10:00:00Z', author: 'ops-alice', status: 'filed' });
    const table = await asViewer(['list', '--series', 'host.web01.cpu']);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+KIND\s+STATUS\s+START\s+END/);
    expect(table.stdout).toMatch(new RegExp(`^${id}\\s+planned\\s+filed\\s+2026-12-01T08:00:00Z\\s+2026-12-01T10:00:00Z.*kernel upgrade$`, 'm'));
  });

  it('files an open unplanned downtime, lists it as active, ends it and shows its history', async () => {
    const add = await asWriter(['add', '--agent', 'web07', '--scope', 'host.web07.**', '--from', '-30m', '--unplanned', '--reason', 'rack power loss']);
    expect(add.code).toBe(0);
    const id = Number(add.stdout);
    expect((await listJson(['--active'])).map((d) => d.id)).toContain(id);
    const end = await asWriter(['end', String(id)]);
    expect(end).toMatchObject({ code: 0, stdout: '' });
    expect(end.stderr).toMatch(new RegExp(`^Ended downtime ${id}: `));
    expect((await listJson(['--active'])).map((d) => d.id)).not.toContain(id);
    const show = await asViewer(['show', String(id)]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^ {2}1 {2}\S+ {2}created +ops-alice/m);
    expect(show.stdout).toMatch(/^ {2}2 {2}\S+ {2}ended +ops-alice/m);
  });

  it('cancels a downtime, which then shows only with --cancelled', async () => {
    const id = Number((await asWriter(['add', '--scope', 'db.*.load', '--from', 'now+1d', '--to', '+1h', '--reason', 'failover test'])).stdout);
    expect((await asWriter(['cancel', String(id)])).code).toBe(0);
    expect((await listJson([])).map((d) => d.id)).not.toContain(id);
    const all = await listJson(['--cancelled']);
    expect(all.find((d) => d.id === id)?.status).toBe('cancelled');
    expectFailure(await asWriter(['cancel', String(id)]), 1, /already cancelled/);
  });

  it('files a weekly downtime in local time and lists its windows across the change to winter time', async () => {
    const add = await asWriter(['add', '--scope', 'host.bk01.*', '--from', '2026-10-13T06:00', '--to', '+2h', '--timezone', 'Europe/Berlin', '--rrule', 'FREQ=WEEKLY;BYDAY=TU', '--reason', 'backups']);
    expect(add.code).toBe(0);
    const [listed] = await listJson(['--series', 'host.bk01.disk', '--from', '2026-10-19T00:00Z', '--to', '+9d']);
    expect(listed.windows?.map((w) => w.start)).toEqual(['2026-10-20T04:00:00Z', '2026-10-27T05:00:00Z']);
  });

  it('names the option at fault when the server refuses, and stores nothing', async () => {
    expectFailure(await asWriter(['add', '--scope', 'nothing.*', '--from', '2026-12-01T08:00Z', '--to', '2026-12-01T07:00Z', '--reason', 'x']), 1, /--to: must be after start/);
    expectFailure(await asWriter(['add', '--scope', 'nothing.*', '--from', '2026-12-01T08:00Z', '--to', '+2h', '--rrule', 'FREQ=SOMETIMES', '--reason', 'x']), 1, /--rrule: /);
    expectFailure(await asWriter(['add', '--scope', 'a.[b]', '--from', '2026-12-01T08:00Z', '--to', '+2h', '--reason', 'x']), 1, /--scope: '\[' is not allowed/);
    expectFailure(await asWriter(['add', '--scope', 'nothing.*', '--from', '2026-12-01T08:00Z', '--to', '+200d', '--reason', 'x']), 1, /--to: the window is 200d long; the longest allowed is 90d/);
    expect(await listJson(['--cancelled', '--series', 'nothing.stored'])).toEqual([]);
  });

  it('refuses bad command lines with exit 2 before calling the server', async () => {
    expectFailure(await asWriter(['add', '--scope', 'a.*', '--to', '+1h']), 2, /missing --reason/);
    expectFailure(await asWriter(['add', '--reason', 'x', '--to', '+1h']), 2, /missing --scope/);
    expectFailure(await asWriter(['add', '--scope', 'a.*', '--reason', 'x']), 2, /missing --to/);
    expectFailure(await asWriter(['add', '--scope', 'a.*', '--from', 'next week', '--to', '+1h', '--reason', 'x']), 2, /--from: /);
    expectFailure(await asWriter(['add', '--scope', 'a.*', '--from', '2026-13-01T00:00Z', '--to', '+1h', '--reason', 'x']), 2, /--from: .* not a valid date/);
    expectFailure(await asWriter(['end', 'abc']), 2, /'abc' is not a downtime id/);
    expectFailure(await asWriter(['end']), 2, /missing ID/);
    expectFailure(await downtime(['add', '--token', 'rmt_x', '--scope', 'a.*', '--to', '+1h', '--reason', 'x']), 2, /unknown option '--token'/);
  });

  it('reports the server answers: unknown id, missing or weak token, unreachable server', async () => {
    expectFailure(await asWriter(['end', '99999']), 1, /no downtime 99999/);
    expectFailure(await downtime(['list']), 1, /needs a viewer token/);
    expectFailure(await asViewer(['cancel', '1']), 1, /needs the operator role; token 'grafana' has viewer/);
    expectFailure(await downtime(['list', '--server', `http://127.0.0.1:${await freePort()}`], { RINGMON_TOKEN: viewerToken }), 1, /cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
    expectFailure(await downtime(['list', '--token-file', join(dir, 'missing.token')]), 1, /missing\.token: no such file/);
  });

  it('has help for the group and each command', async () => {
    const group = await downtime(['--help']);
    expect(group.code).toBe(0);
    for (const name of ['add', 'list', 'show', 'end', 'cancel']) {
      expect(group.stdout).toContain(`  ${name}`);
      const help = await downtime([name, '--help']);
      expect(help.code, name).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: ringmon downtime ${name}`));
      expect(help.stdout).toContain('--token-file');
    }
  });
});
