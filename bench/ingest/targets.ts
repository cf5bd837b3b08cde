/**
 * The three servers the ingest benchmark feeds: ringmon, VictoriaMetrics and
 * carbon-cache (Debian packages), each in its own directory on its own
 * loopback ports, with the same retention for the bench series
 * (10 s for an hour, 1 min for a day).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/helpers/free-port.js';
import { waitFor } from './proc-stats.js';

export interface IngestTarget {
  readonly name: string;
  readonly pid: number;
  readonly graphitePort: number;
  /** Samples the server has acknowledged as received, where it tells (carbon does not). */
  received(): Promise<number | undefined>;
  /** True once everything received is in its final storage (where the server tells). */
  persisted(): Promise<boolean | undefined>;
  /** Asks the server to write out what it holds now, where it has such a command (rrdcached's FLUSHALL). */
  flush?(): Promise<void>;
  stop(): Promise<void>;
}

const RINGMON_BIN = fileURLToPath(new URL('../../bin/ringmon.js', import.meta.url));

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

export async function scrape(url: string, name: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(url)).text();
    let total: number | undefined;
    for (const line of text.split('\n')) {
      if (line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{')) total = (total ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return total;
  } catch {
    return undefined;
  }
}

function spawnServer(command: string, args: string[], log: string): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (b: Buffer): void => {
    output = (output + b.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGKILL') console.error(`${log} exited (${code ?? signal}):\n${output}`);
  });
  return child;
}

export interface RingmonTarget extends IngestTarget {
  readonly url: string;
  readonly token: string;
}

export interface RingmonBenchOptions {
  readonly flushIntervalSeconds: number;
  /** More YAML lines for the config file (alarms, notify): whole top-level sections. */
  readonly extraConfig?: readonly string[];
}

export async function startRingmon(dir: string, options: RingmonBenchOptions): Promise<RingmonTarget> {
  mkdirSync(dir, { recursive: true });
  const [httpPort, graphitePort] = [await freePort(), await freePort()];
  const tokens = join(dir, 'tokens');
  const added = spawnSync(process.execPath, [RINGMON_BIN, 'token', 'add', 'bench', '--role', 'writer', '--file', tokens], { encoding: 'utf8' });
  if (added.status !== 0) throw new Error(`ringmon token add failed: ${added.stderr}`);
  const token = added.stdout.trim();
  const addedAdmin = spawnSync(process.execPath, [RINGMON_BIN, 'token', 'add', 'bench-admin', '--role', 'admin', '--file', tokens], { encoding: 'utf8' });
  if (addedAdmin.status !== 0) throw new Error(`ringmon token add failed: ${addedAdmin.stderr}`);
  const adminToken = addedAdmin.stdout.trim();
  const config = join(dir, 'ringmon.yaml');
  writeFileSync(
    config,
    [
      `listen: { host: 127.0.0.1, port: ${httpPort} }`,
      `dataDir: ${join(dir, 'data')}`,
      `graphite: { enabled: true, host: 127.0.0.1, port: ${graphitePort} }`,
      `auth: { tokensFile: ${tokens}, openReads: true }`,
      `writeBehind: { flushIntervalSeconds: ${options.flushIntervalSeconds} }`,
      'archives:',
      '  default: { step: 10s, retentions: "10s:1h,1m:1d", cfs: [AVERAGE] }',
      'slurpers: { instances: [] }',
      'log: { level: warn }',
      ...(options.extraConfig ?? []),
      '',
    ].join('\n'),
  );
  const child = spawnServer(process.execPath, [RINGMON_BIN, 'serve', '--config', config], 'ringmon');
  const url = `http://127.0.0.1:${httpPort}`;
  await waitFor('ringmon to listen', async () => (await scrape(`${url}/metrics`, 'ringmon_samples_ingested_total')) !== undefined, 60_000);
  return {
    name: 'ringmon',
    pid: child.pid!,
    graphitePort,
    url,
    token,
    received: () => scrape(`${url}/metrics`, 'ringmon_samples_ingested_total'),
    persisted: async () => (await scrape(`${url}/metrics`, 'ringmon_samples_pending')) === 0,
    flush: async () => {
      const response = await fetch(`${url}/api/v1/admin/flush`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
      if (!response.ok) throw new Error(`flush answered ${response.status}: ${await response.text()}`);
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

export async function startVictoriaMetrics(dir: string): Promise<IngestTarget> {
  const [httpPort, graphitePort] = [await freePort(), await freePort()];
  const child = spawnServer(
    'victoria-metrics',
    [`-storageDataPath=${join(dir, 'vm')}`, `-httpListenAddr=127.0.0.1:${httpPort}`, `-graphiteListenAddr=127.0.0.1:${graphitePort}`, '-loggerLevel=ERROR', '-retentionPeriod=2d'],
    'victoria-metrics',
  );
  const metrics = `http://127.0.0.1:${httpPort}/metrics`;
  await waitFor('VictoriaMetrics to listen', async () => (await scrape(metrics, 'vm_app_uptime_seconds')) !== undefined, 60_000);
  return {
    name: 'VictoriaMetrics',
    pid: child.pid!,
    graphitePort,
    received: async () => scrape(metrics, 'vm_rows_inserted_total'),
    persisted: async () => undefined,
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

export async function startCarbon(dir: string): Promise<IngestTarget & { readonly whisperDir: string }> {
  const [linePort, picklePort, queryPort] = [await freePort(), await freePort(), await freePort()];
  const whisperDir = join(dir, 'storage', 'whisper');
  mkdirSync(join(dir, 'log'), { recursive: true });
  mkdirSync(whisperDir, { recursive: true });
  writeFileSync(
    join(dir, 'carbon.conf'),
    [
      '[cache]',
      `STORAGE_DIR = ${join(dir, 'storage')}/`,
      `LOCAL_DATA_DIR = ${whisperDir}/`,
      `CONF_DIR = ${dir}/`,
      `LOG_DIR = ${join(dir, 'log')}/`,
      `PID_DIR = ${dir}/`,
      'DATABASE = whisper',
      // carbon's defaults throttle creates (50/min) and updates (500/s); unthrottled it is compared at its best.
      'MAX_CACHE_SIZE = inf',
      'MAX_UPDATES_PER_SECOND = inf',
      'MAX_CREATES_PER_MINUTE = inf',
      'LINE_RECEIVER_INTERFACE = 127.0.0.1',
      `LINE_RECEIVER_PORT = ${linePort}`,
      'ENABLE_UDP_LISTENER = False',
      'PICKLE_RECEIVER_INTERFACE = 127.0.0.1',
      `PICKLE_RECEIVER_PORT = ${picklePort}`,
      'CACHE_QUERY_INTERFACE = 127.0.0.1',
      `CACHE_QUERY_PORT = ${queryPort}`,
      'USE_FLOW_CONTROL = True',
      'CACHE_WRITE_STRATEGY = sorted',
      'WHISPER_AUTOFLUSH = False',
      'WHISPER_FALLOCATE_CREATE = True',
      'LOG_UPDATES = False',
      'LOG_CREATES = False',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'storage-schemas.conf'), '[carbon]\npattern = ^carbon\\.\nretentions = 60:1d\n\n[bench]\npattern = .*\nretentions = 10s:1h,1m:1d\n');
  writeFileSync(join(dir, 'storage-aggregation.conf'), '[default]\npattern = .*\nxFilesFactor = 0.5\naggregationMethod = average\n');
  const child = spawnServer('carbon-cache', [`--config=${join(dir, 'carbon.conf')}`, '--nodaemon', `--pidfile=${join(dir, 'carbon.pid')}`, `--logdir=${join(dir, 'log')}`, 'start'], 'carbon-cache');
  const net = await import('node:net');
  await waitFor(
    'carbon-cache to listen',
    () =>
      new Promise((resolve) => {
        const socket = net.connect({ host: '127.0.0.1', port: linePort }, () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      }),
    60_000,
  );
  return {
    name: 'carbon-cache',
    pid: child.pid!,
    graphitePort: linePort,
    whisperDir,
    received: async () => undefined,
    persisted: async () => undefined,
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}
