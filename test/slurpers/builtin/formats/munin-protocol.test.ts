/**
 * The Munin protocol parser against real plugins of Debian's
 * munin-plugins-core, run at test time without munin-node, and the
 * threshold conversion checked value by value against both tools' rules.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { muninRangeToNagios, parseMuninConfig, parseMuninFetch } from '../../../../slurpers/builtin/formats/munin-protocol.js';

const state = mkdtempSync(join(tmpdir(), 'ringmon-munin-format-'));
afterAll(() => rmSync(state, { recursive: true, force: true }));

async function munin(plugin: string, ...args: string[]): Promise<string> {
  const env = { ...process.env, LC_ALL: 'C', MUNIN_LIBDIR: '/usr/share/munin', MUNIN_PLUGSTATE: state, MUNIN_STATEFILE: join(state, plugin), MUNIN_CAP_MULTIGRAPH: '1' };
  return (await promisify(execFile)(`/usr/share/munin/plugins/${plugin}`, args, { env })).stdout;
}

describe('real plugins', () => {
  it('uptime: one GAUGE field, graph attributes, and a value in days', async () => {
    const config = parseMuninConfig(await munin('uptime', 'config'));
    expect(config.problems).toEqual([]);
    expect(config.graphs).toEqual([{ name: null, attributes: expect.objectContaining({ title: 'Uptime', vlabel: 'uptime in days', category: 'system' }), fields: [{ name: 'uptime', label: 'uptime', type: 'GAUGE' }] }]);
    const { values, problems } = parseMuninFetch(await munin('uptime'));
    expect(problems).toEqual([]);
    const days = Number((await promisify(execFile)('cat', ['/proc/uptime'])).stdout.split(' ')[0]) / 86400;
    expect(values).toEqual([{ graph: null, field: 'uptime', value: expect.any(Number) }]);
    expect(values[0].value).toBeCloseTo(days, 1);
  });

  it('cpu: DERIVE fields with min 0, and a value for each', async () => {
    const config = parseMuninConfig(await munin('cpu', 'config'));
    const [graph] = config.graphs;
    expect(graph.fields.find((f) => f.name === 'user')).toEqual({ name: 'user', label: 'user', type: 'DERIVE', min: 0 });
    const { values } = parseMuninFetch(await munin('cpu'));
    for (const field of graph.fields) expect(values.find((v) => v.field === field.name)?.value).toEqual(expect.any(Number));
  });

  it('df: warning and critical as Nagios ranges with no lower bound', async () => {
    const config = parseMuninConfig(await munin('df', 'config'));
    const fields = config.graphs[0].fields;
    expect(fields.length).toBeGreaterThan(0);
    for (const f of fields) expect(f).toMatchObject({ warning: '~:92', critical: '~:98', label: expect.any(String) });
    const { values } = parseMuninFetch(await munin('df'));
    expect(values.map((v) => v.field).sort()).toEqual(fields.map((f) => f.name).sort());
  });

  it('memory, load, forks: every fetched field was configured', async () => {
    for (const plugin of ['memory', 'load', 'forks']) {
      const config = parseMuninConfig(await munin(plugin, 'config'));
      const names = new Set(config.graphs.flatMap((g) => g.fields.map((f) => f.name)));
      const { values, problems } = parseMuninFetch(await munin(plugin));
      expect(problems).toEqual([]);
      expect(values.length).toBeGreaterThan(0);
      for (const v of values) expect(names.has(v.field), `${plugin}: ${v.field}`).toBe(true);
    }
    expect(parseMuninConfig(await munin('forks', 'config')).graphs[0].fields[0]).toEqual({ name: 'forks', label: 'forks', type: 'DERIVE', min: 0, max: 100000 });
  });

  it('netstat: multigraph output in config and fetch', async () => {
    const config = parseMuninConfig(await munin('netstat', 'config'));
    expect(config.graphs.map((g) => g.name)).toEqual(expect.arrayContaining(['netstat']));
    expect(config.graphs.every((g) => g.name !== null)).toBe(true);
    const { values } = parseMuninFetch(await munin('netstat'));
    expect(values.find((v) => v.graph === 'netstat' && v.field === 'active')?.value).toEqual(expect.any(Number));
  });
});

describe('protocol details', () => {
  it('reads U, EPOCH:value, extinfo and dirty-config values; reports what it cannot read', () => {
    expect(parseMuninFetch('a.value U\nb.value 1700000000:2.5\nb.extinfo why\nc.value x\nd 1\n')).toEqual({
      values: [{ graph: null, field: 'a', value: null }, { graph: null, field: 'b', value: 2.5, time: 1700000000 }],
      problems: ['"c.value x": value is not a number or U', '"d 1": not a field.value line'],
    });
    const config = parseMuninConfig('graph_title T\na.label A\na.type BOGUS\na.cdef a,8,*\na.value 3\nhost_name x\n');
    expect(config.graphs[0].fields).toEqual([{ name: 'a', label: 'A', type: 'GAUGE', cdef: 'a,8,*' }]);
    expect(config.values).toEqual([{ graph: null, field: 'a', value: 3 }]);
    expect(config.problems).toEqual(['"a.type BOGUS": type must be GAUGE, COUNTER, DERIVE or ABSOLUTE']);
  });
});

describe('munin thresholds as Nagios ranges', () => {
  // Munin: alarm when the value is below min or above max; a bare number is max.
  const muninAlarms = (range: string, v: number): boolean => {
    const [min, max] = range.includes(':') ? range.split(':') : ['', range];
    return (min !== '' && v < Number(min)) || (max !== '' && v > Number(max));
  };
  // Nagios plugin guidelines: alarm outside start:end; ~ is minus infinity; no start is 0; no end is infinity.
  const nagiosAlarms = (range: string, v: number): boolean => {
    const [start, end] = range.includes(':') ? range.split(':') : ['0', range];
    const lo = start === '~' ? -Infinity : Number(start || 0);
    const hi = end === '' ? Infinity : Number(end);
    return v < lo || v > hi;
  };
  const n = fc.integer({ min: -1000, max: 1000 });

  it('alarm on exactly the same values', () => {
    const range = fc.oneof(n.map(String), n.map((a) => `${a}:`), n.map((a) => `:${a}`), fc.tuple(n, n).map(([a, b]) => `${Math.min(a, b)}:${Math.max(a, b)}`));
    fc.assert(fc.property(range, n, (r, v) => {
      const nagios = muninRangeToNagios(r);
      expect(typeof nagios).toBe('string');
      expect(nagiosAlarms(nagios as string, v)).toBe(muninAlarms(r, v));
    }));
  });

  it('config and fetch parsers never throw, whatever a plugin prints', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'ab._ \n:U1-e#graph_valuemultigraphtypewarning'.split('')), maxLength: 80 }), (text) => {
      parseMuninConfig(text);
      for (const v of parseMuninFetch(text).values) expect(v.value === null || Number.isFinite(v.value)).toBe(true);
    }));
  });

  it('refuses what is not a range', () => {
    expect(muninRangeToNagios('')).toBeUndefined();
    for (const bad of [':', 'a', '1:2:3', '1:x']) expect(muninRangeToNagios(bad)).toBeNull();
  });
});
