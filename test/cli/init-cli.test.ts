/**
 * `ringmon init` as a user runs it (real processes): the starter config is
 * owner-only, is kept unless --force, holds the demo set written out, loads
 * (also with its commented examples switched on), and a real `ringmon serve`
 * runs on it: it answers /healthz, names the instances it runs and collects
 * the demo series. A config whose instances leave out the demo set makes the
 * server say so and how to keep it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { loadConfig } from '../../server/config/index.js';
import { demoInstances } from '../../server/slurpers/config-section.js';
import { logSlurperInstances } from '../../server/slurpers/startup-log.js';
import { BUILTIN_SLURPERS } from '../../slurpers/builtin/index.js';
import { prepareInstances, slurperRegistry } from '../../slurpers/index.js';
import { freePort } from '../helpers/free-port.js';
import { until } from '../helpers/wait.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'ringmon.js');
const dir = mkdtempSync(join(tmpdir(), 'ringmon-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ringmon(args: string[], cwd = dir): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Server {
  readonly child: ChildProcess;
  stdout: string;
  readonly exited: Promise<number | null>;
}
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});

function serve(config: string, port: number): Server {
  const child = spawn(process.execPath, [bin, 'serve', '--config', config], { cwd: dir, env: { ...process.env, RINGMON_LISTEN_PORT: String(port) } });
  const server: Server = { child, stdout: '', exited: new Promise((resolve) => child.on('exit', resolve)) };
  child.stdout!.on('data', (d: Buffer) => (server.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (server.stdout += d.toString()));
  servers.push(server);
  return server;
}

const demo = demoInstances();

describe('ringmon init', () => {
  const config = join(dir, 'etc', 'ringmon.yaml');
  const dataDir = join(dir, 'var');

  it('writes an owner-only starter config with the demo set written out, and keeps an existing file unless --force', () => {
    const first = ringmon(['init', '--config', config, '--data-dir', dataDir]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`with 2 slurper instances: ${demo[0].name} (host every 10s), ${demo[1].name} (disk every 10s)`);
    expect(statSync(config).mode & 0o777).toBe(0o600);
    const text = readFileSync(config, 'utf8');
    for (const instance of demo) expect(text).toContain(`- slurper: ${instance.slurper}\n      name: ${instance.name}\n      every: 10s\n`);

    writeFileSync(config, `${text}# edited by hand\n`);
    const again = ringmon(['init', '--config', config]);
    expect(again.status).toBe(1);
    expect(again.stderr).toBe(`ringmon init: ${config} exists; left as it is (--force replaces it)\n`);
    expect(readFileSync(config, 'utf8')).toBe(`${text}# edited by hand\n`);

    const forced = ringmon(['init', '--config', config, '--data-dir', dataDir, '--force']);
    expect(forced.status).toBe(0);
    expect(readFileSync(config, 'utf8')).toBe(text);
  });

  it('writes a config the server loads: the demo set, the data dir, and its commented examples once uncommented', () => {
    const loaded = loadConfig(config, { env: {} });
    expect(loaded.dataDir).toBe(dataDir);
    expect(loaded.slurpers.instances).toEqual(demo);
    // `#` and YAML (no space after it, or two or more) is a commented-out setting; removing it gives more settings, all valid.
    const uncommented = readFileSync(config, 'utf8').replace(/^(\s*)#(?=[^ \n]| {2})/gm, '$1');
    const examples = join(dir, 'etc', 'uncommented.yaml');
    writeFileSync(examples, uncommented);
    const full = loadConfig(examples, { env: {} });
    expect(full.slurpers.instances.map((i) => i.slurper)).toEqual(['host', 'disk', 'http', 'nagios', 'prometheus']);
    expect(full.alarms.rules.map((r) => r.name)).toEqual(['disk-full']);
    expect(prepareInstances(full.slurpers.instances, slurperRegistry(BUILTIN_SLURPERS.map((definition) => ({ definition, source: 'built-in' }))))).toHaveLength(5);
  });

  it('puts the config and ./data in the working directory by default, with a relative dataDir', () => {
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    expect(ringmon(['init'], cwd).status).toBe(0);
    expect(readFileSync(join(cwd, 'ringmon.yaml'), 'utf8')).toMatch(/^dataDir: data /m);
    expect(loadConfig(join(cwd, 'ringmon.yaml'), { env: {} }).dataDir).toBe(join(cwd, 'data'));
  });

  it('shows its options in --help and is listed by ringmon --help', () => {
    const help = ringmon(['init', '--help']).stdout;
    for (const option of ['--config FILE', '--data-dir DIR', '--force']) expect(help).toContain(option);
    expect(ringmon(['--help']).stdout).toMatch(/^ {2}init +write a starter server config/m);
  });

  it('gives a config that a real ringmon serve runs: /healthz answers, the start-up log names each instance, the demo series arrive', async () => {
    const port = await freePort();
    const token = addToken(join(dataDir, 'tokens'), 'init-test', 'viewer');
    const server = serve(config, port);
    await until(() => server.stdout.includes('ringmon listening on'), `the server to listen: ${server.stdout}`, 30_000);
    expect(server.stdout).toContain(`running 2 slurper instances: ${demo[0].name} (host every 10s), ${demo[1].name} (disk every 10s)`);
    expect(server.stdout).not.toContain('replaces the demo set');
    const health = await request(`http://127.0.0.1:${port}/healthz`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
    const seriesOf = async (): Promise<string[]> => {
      const res = await request(`http://127.0.0.1:${port}/api/v1/series`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.body.json()) as { series?: { series: string }[] };
      return (body.series ?? []).map((s) => s.series);
    };
    await until(async () => (await seriesOf()).includes(`${demo[0].name}.up`) && (await seriesOf()).includes(`${demo[1].name}.up`), 'the demo series', 30_000);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('makes a real ringmon serve warn, naming what is not running and how to keep it, when slurpers.instances leaves out the demo set', async () => {
    const own = join(dir, 'etc', 'own.yaml');
    writeFileSync(own, `dataDir: ${join(dir, 'own-data')}\nslurpers:\n  instances:\n    - { slurper: disk, name: disk.mine, every: 30s }\n`);
    const server = serve(own, await freePort());
    await until(() => server.stdout.includes('ringmon listening on'), `the server to listen: ${server.stdout}`, 30_000);
    expect(server.stdout).toContain('running 1 slurper instance: disk.mine (disk every 30s)');
    expect(server.stdout).toContain(
      `slurpers.instances replaces the demo set, so ${demo[0].name} (host every 10s) is not running; to keep it, add to slurpers.instances: { slurper: host, name: ${demo[0].name}, every: 10s } (ringmon init writes a config that has them)`,
    );
  });
});

describe('the start-up log of the slurper instances', () => {
  const record = () => {
    const lines: { level: string; message: string }[] = [];
    const at = (level: string) => (fields: object | string, message?: string) => lines.push({ level, message: typeof fields === 'string' ? fields : (message ?? '') });
    return { lines, log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
  };

  it('says that none runs for an empty list, without a warning', () => {
    const { lines, log } = record();
    logSlurperInstances([], log);
    expect(lines).toEqual([{ level: 'info', message: 'running no slurper instances (slurpers.instances is empty)' }]);
  });

  it('names a cron schedule, and warns about both demo instances when neither slurper runs', () => {
    const { lines, log } = record();
    logSlurperInstances([{ slurper: 'nagios', name: 'web01.ssh', cron: '*/5 * * * *', options: {} }], log);
    expect(lines[0]).toEqual({ level: 'info', message: 'running 1 slurper instance: web01.ssh (nagios cron "*/5 * * * *")' });
    expect(lines[1].level).toBe('warn');
    expect(lines[1].message).toContain(`so ${demo[0].name} (host every 10s) and ${demo[1].name} (disk every 10s) are not running; to keep them`);
  });
});
