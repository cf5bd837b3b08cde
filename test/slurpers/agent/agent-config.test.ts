/** agent.yaml: defaults, text forms, paths, and problems named by key. */
import { describe, expect, it } from 'vitest';
import { parseByteSize } from '../../../lib/byte-size.js';
import { checkAgentConfig } from '../../../slurpers/agent/agent-config.js';
import { SchemaError } from '../../../slurpers/host/options.js';

const problemsOf = (data: unknown): readonly string[] => {
  try {
    checkAgentConfig(data, '/etc/ringmon', 'host1');
  } catch (e) {
    if (e instanceof SchemaError) return e.problems;
    throw e;
  }
  return [];
};

describe('agent config', () => {
  it('fills in defaults: the host name, a spool next to the config, 256 MiB, 30 s heartbeats', () => {
    const config = checkAgentConfig({}, '/etc/ringmon', 'host1');
    expect(config).toMatchObject({
      name: 'host1',
      slurperDirs: [],
      instances: [],
      spool: { dir: '/etc/ringmon/spool', maxBytes: 256 * 2 ** 20 },
      upload: { maxSamplesPerRequest: 5000, timeoutSeconds: 30, maxBackoffSeconds: 60, stopDrainSeconds: 5 },
      heartbeatSeconds: 30,
      concurrency: 16,
    });
  });

  it('reads sizes and durations written with units, and instances as the server does', () => {
    const config = checkAgentConfig(
      { name: 'web01', slurperDirs: ['plugins'], spool: { dir: '/var/spool/rm', maxBytes: '64MiB' }, upload: { maxBackoffSeconds: '2m' }, heartbeatSeconds: '10s', instances: [{ slurper: 'http', name: 'web01.http', every: '30s', options: { url: 'http://x/' } }] },
      '/etc/ringmon',
    );
    expect(config.spool).toEqual({ dir: '/var/spool/rm', maxBytes: 64 * 2 ** 20 });
    expect(config.slurperDirs).toEqual(['/etc/ringmon/plugins']);
    expect(config.upload.maxBackoffSeconds).toBe(120);
    expect(config.heartbeatSeconds).toBe(10);
    expect(config.instances[0]).toMatchObject({ slurper: 'http', name: 'web01.http', every: 30 });
  });

  it('reports every problem at once, each under its key', () => {
    const problems = problemsOf({ name: 'bad name', spool: { maxBytes: '1KiB', size: 3 }, heartbeatSeconds: 'often', instances: [{ slurper: 'http', name: 'a', every: '1s', timeout: '5s' }], extra: 1 });
    const keys = problems.map((p) => p.split(':')[0]);
    expect(keys).toEqual(expect.arrayContaining(['name', 'spool.maxBytes', 'spool.size', 'heartbeatSeconds', 'extra', 'instances[0].timeout']));
  });

  it('says so when the host name cannot be the default agent name', () => {
    expect(() => checkAgentConfig({}, '/', 'under_score!host')).toThrow(/host name 'under_score!host' is not a usable agent name/);
  });

  it('parses byte sizes', () => {
    expect([parseByteSize('65536'), parseByteSize('64 KiB'), parseByteSize('1GB'), parseByteSize('1.5MiB'), parseByteSize('lots')]).toEqual([65536, 65536, 1e9, 1.5 * 2 ** 20, undefined]);
  });
});
