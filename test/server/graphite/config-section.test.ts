/**
 * The connection keys are checked at start, each error naming its key:
 * graphite.allow entries must be addresses or CIDR networks, and
 * listen.headersTimeout may not pass listen.requestTimeout (Node would
 * refuse the pair when the server is created). allowList admits what the
 * entries say, an IPv4 client on a dual-stack socket included.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config/index.js';
import { allowList } from '../../../server/graphite/config-section.js';
import { problemsOf, tempConfigDir } from '../config/helpers.js';

const files = tempConfigDir();

describe('connection keys', () => {
  it('refuse a graphite.allow entry that is not an address or a network, naming it', () => {
    const problems = problemsOf(files.write('graphite:\n  allow: [10.0.0.0/8, 10.0.0.0/33, example.com, "::1/129", 1.2.3.4/8/1, 192.0.2.7]\n'));
    expect(problems.map((p) => p.key)).toEqual(['graphite.allow[1]', 'graphite.allow[2]', 'graphite.allow[3]', 'graphite.allow[4]']);
    expect(problems[0].message).toBe('must be an IP address or a network in CIDR form (192.0.2.7, 10.0.0.0/8, fd00::/8), got "10.0.0.0/33": the prefix length must be 0-32');
    expect(problems[1].message).toBe('must be an IP address or a network in CIDR form (192.0.2.7, 10.0.0.0/8, fd00::/8), got "example.com"');
    expect(problems[2].message).toMatch(/the prefix length must be 0-128$/);
    expect(problemsOf(files.write('graphite:\n  allow: []\n')).map((p) => p.key)).toEqual(['graphite.allow']);
  });

  it('refuse listen.headersTimeout longer than listen.requestTimeout, and out-of-range limits', () => {
    expect(problemsOf(files.write('listen:\n  headersTimeout: 1m\n  requestTimeout: 30s\n'))).toEqual([
      { key: 'listen.headersTimeout', message: 'must not be longer than listen.requestTimeout (30s)' },
    ]);
    expect(problemsOf(files.write('listen:\n  maxConnections: 0\ngraphite:\n  idleTimeout: 0\n')).map((p) => p.key)).toEqual(['listen.maxConnections', 'graphite.idleTimeout']);
    const config = loadConfig(files.write('listen:\n  idleTimeout: 2m\n  requestTimeout: 1m\ngraphite:\n  idleTimeout: 90s\n  maxConnections: 50\n'), { env: {} });
    expect(config.listen).toMatchObject({ idleTimeout: 120, requestTimeout: 60, headersTimeout: 10 });
    expect(config.graphite).toMatchObject({ idleTimeout: 90, maxConnections: 50 });
  });

  it('allowList admits the addresses and networks listed, IPv4 clients seen as IPv6 included', () => {
    const list = allowList(['10.0.0.0/8', '192.0.2.7', '::1', 'fd00::/8']);
    expect(list.check('10.200.0.1', 'ipv4')).toBe(true);
    expect(list.check('::ffff:10.200.0.1', 'ipv6')).toBe(true);
    expect(list.check('192.0.2.7', 'ipv4')).toBe(true);
    expect(list.check('192.0.2.8', 'ipv4')).toBe(false);
    expect(list.check('::1', 'ipv6')).toBe(true);
    expect(list.check('fd12::5', 'ipv6')).toBe(true);
    expect(list.check('fe80::1', 'ipv6')).toBe(false);
    expect(list.check('127.0.0.1', 'ipv4')).toBe(false);
  });
});
