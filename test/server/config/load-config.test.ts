/**
 * loadConfig: the built-in defaults, the example file of the docs, the
 * environment overrides, and the exact message of each kind of error.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type ServerConfig } from '../../../server/config/index.js';
import { demoInstances } from '../../../server/slurpers/config-section.js';
import { configErrorOf, problemsOf, tempConfigDir } from './helpers.js';

const EXAMPLE = resolve(import.meta.dirname, '../../../docs/examples/ringmon.yaml');
const files = tempConfigDir();

/** No archives.default: each series gets the built-in template at its own step (issue 13: was a fixed 10 s step, 20 s heartbeat). */
const BUILT_IN_ARCHIVES: ServerConfig['archives'] = { rules: [], inferWithin: 1200 };

describe('without a config file', () => {
  it('runs on the documented defaults, dataDir from the working directory', () => {
    const config = loadConfig(undefined, { env: {}, cwd: '/srv/ringmon' });
    expect(config).toEqual({
      listen: { host: '127.0.0.1', port: 8080, idleTimeout: 72, headersTimeout: 10, requestTimeout: 30, maxConnections: 10_000 },
      dataDir: '/srv/ringmon/data',
      graphite: { enabled: false, host: '127.0.0.1', port: 2003, idleTimeout: 300, maxConnections: 1000 },
      auth: { tokensFile: '/srv/ringmon/data/tokens', openReads: false },
      limits: { bodyBytes: 10 * 2 ** 20, samplesPerRequest: 100_000, seriesNameLength: 255, maxFutureSeconds: 300, fetchMaxRows: 1_000_000 },
      writeBehind: { flushIntervalSeconds: 60, maxJournalBytes: 256 * 2 ** 20 },
      archives: BUILT_IN_ARCHIVES,
      quarantine: { maxBytes: 64 * 2 ** 20 },
      slurpers: { dirs: [], concurrency: 16, instances: demoInstances() },
      agents: { maxAgents: 10_000, maxInstances: 100_000 },
      nodes: { heartbeatInterval: 30, graceFactor: 2, downAfter: 300, notify: [], dependencies: [] },
      metadata: { checkEvery: 5, maxBytes: 4 * 2 ** 20 },
      computed: [],
      units: [],
      heatmaps: { maxSeries: 200, maxBuckets: 1000, views: [] },
      status: { title: 'Service status', refresh: 10, upcoming: 7 * 86400, reasons: true, maxItems: 200, groups: [] },
      downtimes: { maxWindow: 90 * 86400, maxFiled: 1000, maxFiledPerAuthor: 100, maxListRange: 3660 * 86400, maxListedWindows: 10_000 },
      dashboards: { maxStored: 1000 },
      alarms: { rules: [], recipients: [], offered: { enabled: true, for: 0, notify: [] }, groupWait: 1, maxPendingTransitions: 10_000 },
      notify: { webhook: { timeout: 10 }, retry: { initial: 5, max: 600 }, keep: 90 * 86400 },
      reports: [],
      feeds: [],
      log: { level: 'info' },
    } satisfies ServerConfig);
  });

  it('returns a frozen config', () => {
    const config = loadConfig(undefined, { env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.archives.rules)).toBe(true);
  });

  it('treats an empty file, and sections with nothing under them, as defaults', () => {
    const defaults = loadConfig(undefined, { env: {}, cwd: files.dir });
    expect(loadConfig(files.write(''), { env: {}, cwd: files.dir })).toEqual(defaults);
    expect(loadConfig(files.write('# only comments\n'), { env: {}, cwd: files.dir })).toEqual(defaults);
    expect(loadConfig(files.write('listen:\n  # port: 9000\nlimits:\narchives:\n'), { env: {}, cwd: files.dir })).toEqual(defaults);
  });
});

describe('the example file of docs/configuration.md', () => {
  const config = loadConfig(EXAMPLE, { env: {} });

  it('yields the documented values', () => {
    expect(config.listen).toEqual({ host: '0.0.0.0', port: 8080, idleTimeout: 72, headersTimeout: 10, requestTimeout: 30, maxConnections: 10_000 });
    expect(config.dataDir).toBe('/var/lib/ringmon');
    expect(config.graphite).toEqual({ enabled: true, host: '0.0.0.0', port: 2003, idleTimeout: 300, maxConnections: 1000, allow: ['10.0.0.0/8', '192.0.2.7'] });
    expect(config.auth).toEqual({ tokensFile: '/etc/ringmon/tokens', openReads: false });
    expect(config.limits).toEqual({ bodyBytes: 10 * 2 ** 20, samplesPerRequest: 100_000, seriesNameLength: 255, maxFutureSeconds: 300, fetchMaxRows: 1_000_000 });
    expect(config.writeBehind).toEqual({ flushIntervalSeconds: 60, maxJournalBytes: 512 * 2 ** 20 });
    expect(config.log).toEqual({ level: 'info' });
    expect(config.dashboards).toEqual({ maxStored: 200 });
  });

  it('has three rules, durations in seconds, and the built-in default written out', () => {
    expect(config.archives.rules.map((rule) => rule.match)).toEqual(['host.*.net.**', 'app.**.latency', 'backup.*.bytes']);
    expect(config.archives.rules[0]).toMatchObject({ step: 300, type: 'DERIVE', min: 0, heartbeat: 600 });
    expect(config.archives.rules[1]).toMatchObject({ retentions: '10s:6h,1m:7d,10m:1y', cfs: ['AVERAGE', 'MAX'], xff: 0.3, type: 'GAUGE' });
    expect(config.archives.rules[2]).toMatchObject({ step: 3600, heartbeat: 172800, cfs: ['LAST'] });
    expect(config.archives.default).toBeUndefined();
    expect(config.archives.inferWithin).toBe(900);
  });

  it('has alarm rules, recipients, the mail relay and a report, durations in seconds', () => {
    expect(config.alarms.rules.map((r) => r.name)).toEqual(['disk-full', 'host-silent']);
    expect(config.alarms.rules[0]).toMatchObject({ warning: '> 85', critical: '> 95', hysteresis: 3, for: 300, renotify: 14 * 86400 });
    expect(config.alarms.rules[1]).toMatchObject({ nodata: 120, for: 0, notify: ['ops', 'pager'] });
    expect(config.alarms.offered).toEqual({ enabled: true, for: 0, notify: ['ops'] });
    expect(config.notify.email).toMatchObject({ port: 587, starttls: 'required', passwordFile: '/etc/ringmon/smtp.password', timeout: 30 });
    expect(config.notify.retry).toEqual({ initial: 5, max: 600 });
    expect(config.reports).toEqual([
      { name: 'morning', cron: '30 0 * * *', timezone: 'Europe/Berlin', notify: ['ops'], match: '**', groupBy: 2, statuses: ['WARNING', 'CRITICAL', 'NODATA'], title: 'node health', keep: 90 * 86_400 },
    ]);
  });
});

describe('values', () => {
  it('reads durations and sizes as text or numbers', () => {
    const config = loadConfig(files.write('writeBehind:\n  flushIntervalSeconds: 5m\n  maxJournalBytes: 2GiB\nlimits:\n  bodyBytes: 512KiB\n'), { env: {} });
    expect(config.writeBehind).toEqual({ flushIntervalSeconds: 300, maxJournalBytes: 2 * 2 ** 30 });
    expect(config.limits.bodyBytes).toBe(512 * 1024);
    expect(loadConfig(files.write('writeBehind:\n  flushIntervalSeconds: 90\n'), { env: {} }).writeBehind.flushIntervalSeconds).toBe(90);
  });

  it('reads sizes as agent.yaml does: k M G T in powers of 1000 (issue 12)', () => {
    const config = loadConfig(files.write('writeBehind:\n  maxJournalBytes: 64MB\nlimits:\n  bodyBytes: 10k\n'), { env: {} });
    expect(config.writeBehind.maxJournalBytes).toBe(64_000_000);
    expect(config.limits.bodyBytes).toBe(10_000);
  });

  it('reads compound durations, and refuses a fraction where whole seconds are needed (issue 12)', () => {
    expect(loadConfig(files.write('writeBehind:\n  flushIntervalSeconds: 1m30s\n'), { env: {} }).writeBehind.flushIntervalSeconds).toBe(90);
    expect(problemsOf(files.write('writeBehind:\n  flushIntervalSeconds: 1.5s\n'))).toEqual([
      { key: 'writeBehind.flushIntervalSeconds', message: expect.stringMatching(/^must be a duration between 1s and 1d .*, got "1.5s"$/) },
    ]);
  });

  it('takes relative paths in the file from the file, and the token file from dataDir', () => {
    const sub = join(files.dir, 'etc');
    mkdirSync(sub);
    const path = files.write('dataDir: ../var/ringmon\n', 'etc/ringmon.yaml');
    const config = loadConfig(path, { env: {}, cwd: '/elsewhere' });
    expect(config.dataDir).toBe(join(files.dir, 'var/ringmon'));
    expect(config.auth.tokensFile).toBe(join(files.dir, 'var/ringmon/tokens'));
    const withTokens = loadConfig(files.write('auth:\n  tokensFile: secrets/tokens\n', 'etc/tokens.yaml'), { env: {}, cwd: '/elsewhere' });
    expect(withTokens.auth.tokensFile).toBe(join(sub, 'secrets/tokens'));
    expect(withTokens.dataDir).toBe('/elsewhere/data');
  });

  it('takes a relative config path from the working directory', () => {
    files.write('listen:\n  port: 9000\n', 'relative.yaml');
    expect(loadConfig('relative.yaml', { env: {}, cwd: files.dir }).listen.port).toBe(9000);
  });
});

describe('environment overrides', () => {
  it('override the file, and a relative RINGMON_DATA_DIR is taken from the working directory', () => {
    const path = files.write('listen:\n  host: 10.0.0.1\n  port: 9000\ndataDir: /var/lib/ringmon\n');
    const env = { RINGMON_LISTEN_HOST: '::', RINGMON_LISTEN_PORT: '9100', RINGMON_DATA_DIR: 'state' };
    const config = loadConfig(path, { env, cwd: '/run/instance1' });
    expect(config.listen).toEqual({ host: '::', port: 9100, idleTimeout: 72, headersTimeout: 10, requestTimeout: 30, maxConnections: 10_000 });
    expect(config.dataDir).toBe('/run/instance1/state');
    expect(config.auth.tokensFile).toBe('/run/instance1/state/tokens');
  });

  it('apply without a file, and empty variables count as unset', () => {
    const config = loadConfig(undefined, { env: { RINGMON_LISTEN_PORT: '9200', RINGMON_LISTEN_HOST: '', RINGMON_DATA_DIR: '' }, cwd: '/x' });
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 9200, idleTimeout: 72, headersTimeout: 10, requestTimeout: 30, maxConnections: 10_000 });
    expect(config.dataDir).toBe('/x/data');
  });

  it('are validated, and the error names the variable', () => {
    const error = configErrorOf(() => loadConfig(undefined, { env: { RINGMON_LISTEN_PORT: '80x' } }));
    expect(error.problems).toEqual([{ key: 'RINGMON_LISTEN_PORT', message: 'must be an integer between 1 and 65535, got "80x"' }]);
    expect(error.message).toBe('invalid configuration (1 problem):\n  RINGMON_LISTEN_PORT: must be an integer between 1 and 65535, got "80x"');
    const outOfRange = configErrorOf(() => loadConfig(undefined, { env: { RINGMON_LISTEN_PORT: '70000' } }));
    expect(outOfRange.problems).toEqual([{ key: 'RINGMON_LISTEN_PORT', message: 'must be an integer between 1 and 65535, got 70000' }]);
  });

  it('read process.env when no env is given', () => {
    const saved = process.env.RINGMON_LISTEN_PORT;
    process.env.RINGMON_LISTEN_PORT = '9300';
    try {
      expect(loadConfig().listen.port).toBe(9300);
    } finally {
      if (saved === undefined) delete process.env.RINGMON_LISTEN_PORT;
      else process.env.RINGMON_LISTEN_PORT = saved;
    }
  });
});

describe('slurpers', () => {
  it('reads instances with durations from text', () => {
    const config = loadConfig(files.write('slurpers:\n  instances:\n    - { slurper: tcp, name: db.tcp, every: 30s, timeout: 5s, options: { host: db1, port: 5432 } }\n'), { env: {}, cwd: files.dir });
    expect(config.slurpers.instances).toEqual([{ slurper: 'tcp', name: 'db.tcp', every: 30, timeout: 5, options: { host: 'db1', port: 5432 } }]);
    const fast = loadConfig(files.write('slurpers:\n  instances:\n    - { slurper: tcp, name: a.tcp, every: 500ms }\n    - { slurper: tcp, name: b.tcp, every: 1.5s, timeout: 250ms }\n'), { env: {}, cwd: files.dir });
    expect(fast.slurpers.instances.map((i) => [i.every, i.timeout])).toEqual([[0.5, undefined], [1.5, 0.25]]);
  });

  it('names the instance key at fault', () => {
    expect(problemsOf(files.write('slurpers:\n  instances:\n    - { slurper: host, name: "bad name", every: 10s }\n'))).toEqual([
      { key: 'slurpers.instances[0].name', message: expect.stringContaining('instance name') },
    ]);
    expect(problemsOf(files.write('slurpers:\n  instances:\n    - { slurper: tcp, name: db.tcp, every: 30s, cron: "* * * * *" }\n    - { slurper: tcp, name: db2.tcp, every: 30s, timeout: 1m }\n'))).toEqual([
      { key: 'slurpers.instances[0].cron', message: 'give exactly one of every (30s) or cron ("30 0 * * *")' },
      { key: 'slurpers.instances[1].timeout', message: 'must not be longer than every (30s), got 1m' },
    ]);
  });
});

describe('errors name the key and the problem', () => {
  it('unknown keys, with a guess for a typo', () => {
    expect(problemsOf(files.write('listen:\n  prot: 8080\n'))).toEqual([
      { key: 'listen.prot', message: "unknown key; did you mean 'port'? (allowed: host, port, idleTimeout, headersTimeout, requestTimeout, maxConnections)" },
    ]);
    expect(problemsOf(files.write('alerts: []\n'))).toEqual([
      { key: 'alerts', message: "unknown key; did you mean 'alarms'? (allowed: listen, dataDir, graphite, auth, limits, writeBehind, archives, quarantine, units, slurpers, downtimes, dashboards, alarms, notify, reports, feeds, agents, nodes, metadata, computed, status, heatmaps, log)" },
    ]);
    expect(problemsOf(files.write('archives:\n  rules:\n    - match: a\n      retention: 10s:1d\n'))).toEqual([
      { key: 'archives.rules[0].retention', message: "unknown key; did you mean 'retentions'? (allowed: match, step, type, heartbeat, min, max, rras, retentions, cfs, xff)" },
    ]);
  });

  it('wrong types', () => {
    expect(problemsOf(files.write('listen:\n  port: 80x\n'))).toEqual([{ key: 'listen.port', message: 'must be an integer between 1 and 65535, got "80x"' }]);
    expect(problemsOf(files.write('graphite:\n  enabled: yes\n'))).toEqual([{ key: 'graphite.enabled', message: 'must be true or false, got "yes"' }]);
    expect(problemsOf(files.write('listen: 8080\n'))).toEqual([{ key: 'listen', message: 'must be a mapping of keys to values, got 8080' }]);
    expect(problemsOf(files.write('archives:\n  rules:\n    match: a\n'))).toEqual([{ key: 'archives.rules', message: 'must be a list, got a mapping' }]);
    expect(problemsOf(files.write('log:\n  level: verbose\n'))).toEqual([
      { key: 'log.level', message: 'must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"' },
    ]);
  });

  it('values out of range, quoting what the file said', () => {
    expect(problemsOf(files.write('listen:\n  port: 0\n'))).toEqual([{ key: 'listen.port', message: 'must be an integer between 1 and 65535, got 0' }]);
    expect(problemsOf(files.write('writeBehind:\n  flushIntervalSeconds: 2d\n'))).toEqual([
      { key: 'writeBehind.flushIntervalSeconds', message: 'must be a duration between 1s and 1d (seconds, or a number with a unit ms s m h d w M y: 30s, 5m, 1h30m), got "2d"' },
    ]);
    expect(problemsOf(files.write('writeBehind:\n  flushIntervalSeconds: 5 minutes\n'))).toEqual([
      { key: 'writeBehind.flushIntervalSeconds', message: 'must be a duration between 1s and 1d (seconds, or a number with a unit ms s m h d w M y: 30s, 5m, 1h30m), got "5 minutes"' },
    ]);
    expect(problemsOf(files.write('limits:\n  bodyBytes: 10XB\n'))).toEqual([
      { key: 'limits.bodyBytes', message: 'must be a size between 1KiB and 1GiB (bytes, or a number with a unit: 64MB, 512KiB (k M G T: powers of 1000; KiB MiB GiB TiB: of 1024)), got "10XB"' },
    ]);
    expect(problemsOf(files.write('archives:\n  rules:\n    - match: a\n      retentions: 10s:1d\n      xff: 1\n'))).toEqual([
      { key: 'archives.rules[0].xff', message: 'must be a number >= 0 and < 1, got 1' },
    ]);
  });

  it('missing required keys', () => {
    expect(problemsOf(files.write('archives:\n  rules:\n    - retentions: 10s:1d\n'))).toEqual([
      { key: 'archives.rules[0].match', message: 'is required; must be a series pattern such as host.*.cpu.**' },
    ]);
  });

  it('several at once, in one ConfigError', () => {
    const path = files.write(
      [
        'listen:',
        '  prot: 80',
        '  port: 80x',
        'graphite:',
        '  port: 99999',
        'archives:',
        '  rules:',
        '    - match: host.*.cpu',
        '      step: 10',
        '      rras: [RRA:AVERAGE:0.5:1:1d, RRA:AVG:0.5:1:10]',
        '    - match: host..disk',
        '      retentions: 10s:1d',
        '',
      ].join('\n'),
    );
    const error = configErrorOf(() => loadConfig(path, { env: {} }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.source).toBe(path);
    expect(error.problems).toEqual([
      { key: 'listen.prot', message: "unknown key; did you mean 'port'? (allowed: host, port, idleTimeout, headersTimeout, requestTimeout, maxConnections)" },
      { key: 'listen.port', message: 'must be an integer between 1 and 65535, got "80x"' },
      { key: 'graphite.port', message: 'must be an integer between 1 and 65535, got 99999' },
      { key: 'archives.rules[0].rras[1]', message: "'RRA:AVG:0.5:1:10': cf: 'AVG' is not one of AVERAGE, MIN, MAX, LAST" },
      { key: 'archives.rules[1].match', message: "'host..disk' has an empty segment (a dot at the start or end, or two dots in a row)" },
    ]);
    expect(error.message.split('\n')).toEqual([
      `invalid configuration in ${path} (5 problems):`,
      "  listen.prot: unknown key; did you mean 'port'? (allowed: host, port, idleTimeout, headersTimeout, requestTimeout, maxConnections)",
      '  listen.port: must be an integer between 1 and 65535, got "80x"',
      '  graphite.port: must be an integer between 1 and 65535, got 99999',
      "  archives.rules[0].rras[1]: 'RRA:AVG:0.5:1:10': cf: 'AVG' is not one of AVERAGE, MIN, MAX, LAST",
      "  archives.rules[1].match: 'host..disk' has an empty segment (a dot at the start or end, or two dots in a row)",
    ]);
  });

  it('more errors than TypeBox reports by default (8)', () => {
    const text = Array.from({ length: 12 }, (_, i) => `    - match: s${i}\n      type: NOPE\n`).join('');
    expect(problemsOf(files.write(`archives:\n  rules:\n${text}`))).toHaveLength(12);
  });

  it('a file that cannot be read, is not YAML, or is not a mapping', () => {
    const missing = join(files.dir, 'missing.yaml');
    expect(problemsOf(missing)).toEqual([{ key: '', message: 'cannot read the config file: no such file' }]);
    expect(problemsOf(files.dir)).toEqual([{ key: '', message: 'cannot read the config file: it is a directory' }]);
    expect(problemsOf(files.write('listen:\n  port: 1\n  port: 2\n'))).toEqual([{ key: '', message: 'not valid YAML: Map keys must be unique at line 3, column 3' }]);
    expect(problemsOf(files.write('archives:\n  rules:\n    - match: *.cpu\n'))).toEqual([
      { key: '', message: 'not valid YAML: Unresolved alias (the anchor must be set before the alias): .cpu' },
    ]);
    expect(problemsOf(files.write('- listen\n'))).toEqual([{ key: '', message: 'must be a mapping of section names to settings, got a list' }]);
    const error = configErrorOf(() => loadConfig(missing, { env: {} }));
    expect(error.message).toBe(`invalid configuration in ${missing} (1 problem):\n  cannot read the config file: no such file`);
  });

  it('a key named __proto__ is an unknown key, not a prototype', () => {
    expect(problemsOf(files.write('listen:\n  __proto__:\n    port: 1\n'))).toEqual([
      { key: 'listen.__proto__', message: 'unknown key (allowed: host, port, idleTimeout, headersTimeout, requestTimeout, maxConnections)' },
    ]);
  });
});
