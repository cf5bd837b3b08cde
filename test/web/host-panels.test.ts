/**
 * A host page's logic that needs no browser: the host's series in small
 * graphs by the structure of their names and by unit (never two units in
 * one), and what a host (a group prefix or a node key) covers.
 */
import { describe, expect, it } from 'vitest';
import type { AgentNode, InstanceNode, SeriesInfo } from '../../web/src/api-types.js';
import { hostPanels, PANEL_LIMIT } from '../../web/src/host-panels.js';
import { hostScope, inScope } from '../../web/src/host-scope.js';

const info = (series: string, unit?: string): SeriesInfo => ({
  series,
  lastUpdate: 0,
  lastValue: 1,
  definition: { step: 10, dataSources: [{ name: 'value', heartbeat: 20 }] },
  ...(unit === undefined ? {} : { unit }),
});

/** The demo set's series on host web01, with the units the slurpers declare. */
const DEMO = [
  info('host.web01.cpu.busy_percent', '%'),
  info('host.web01.cpu.iowait_percent', '%'),
  info('host.web01.cpu.count', 'count'),
  info('host.web01.load.1m'),
  info('host.web01.load.5m'),
  info('host.web01.memory.used_bytes', 'B'),
  info('host.web01.memory.total_bytes', 'B'),
  info('host.web01.memory.used_percent', '%'),
  info('host.web01.net.eth0.rx_bytes', 'B/s'),
  info('host.web01.net.eth0.tx_bytes', 'B/s'),
  info('host.web01.net.eth0.rx_errors', 'count/s'),
  info('host.web01.temp.cpu_thermal.celsius', '°C'),
  info('host.web01.processes', 'count'),
  info('host.web01.up'),
  info('host.web01.duration_seconds', 's'),
  info('host.web010.load.1m'),
  info('disk.web01.mount.root.used_bytes', 'B'),
  info('disk.web01.mount.root.used_percent', '%'),
  info('disk.web01.mount.var_lib.used_bytes', 'B'),
];

const summary = (infos: readonly SeriesInfo[], prefixes: readonly string[]) => hostPanels(infos, prefixes).map((p) => [p.title, p.unit, p.series]);

describe('host panels', () => {
  it('makes one small graph per set of the name and unit, in the order a host reads', () => {
    expect(summary(DEMO, ['host.web01'])).toEqual([
      ['CPU (%)', '%', ['host.web01.cpu.busy_percent', 'host.web01.cpu.iowait_percent']],
      ['CPU (count)', 'count', ['host.web01.cpu.count']],
      ['Load', '', ['host.web01.load.1m', 'host.web01.load.5m']],
      ['Memory (%)', '%', ['host.web01.memory.used_percent']],
      ['Memory (B)', 'B', ['host.web01.memory.total_bytes', 'host.web01.memory.used_bytes']],
      ['Interface eth0 (B/s)', 'B/s', ['host.web01.net.eth0.rx_bytes', 'host.web01.net.eth0.tx_bytes']],
      ['Interface eth0 (count/s)', 'count/s', ['host.web01.net.eth0.rx_errors']],
      ['Temperatures', '°C', ['host.web01.temp.cpu_thermal.celsius']],
      ['up', '', ['host.web01.up']],
      ['processes', 'count', ['host.web01.processes']],
      ['duration_seconds', 's', ['host.web01.duration_seconds']],
    ]);
  });

  it('gives each disk its graphs, across the prefixes of one host', () => {
    expect(summary(DEMO, ['disk.web01'])).toEqual([
      ['Disk root (%)', '%', ['disk.web01.mount.root.used_percent']],
      ['Disk root (B)', 'B', ['disk.web01.mount.root.used_bytes']],
      ['Disk var_lib', 'B', ['disk.web01.mount.var_lib.used_bytes']],
    ]);
  });

  it('never mixes units, and keeps them apart by the name where the API gives none', () => {
    const panels = hostPanels([info('a.h.cpu.busy_percent'), info('a.h.cpu.count'), info('a.h.memory.used_bytes'), info('a.h.memory.used_percent')], ['a.h']);
    expect(panels.map((p) => [p.title, p.series.length])).toEqual([
      ['CPU (no unit)', 1],
      ['CPU (%)', 1],
      ['Memory (%)', 1],
      ['Memory (B)', 1],
    ]);
    // No unit shown that the API did not give (a byte counter's stored values are B/s, not B).
    expect(panels.every((p) => p.unit === '')).toBe(true);
    for (const p of hostPanels(DEMO, ['host.web01', 'disk.web01'])) expect(new Set(p.series.map((s) => DEMO.find((i) => i.series === s)?.unit ?? '')).size).toBe(1);
  });

  it('groups single names by unit and other sets by their first segment', () => {
    const infos = [info('web01.http.ttfb_seconds', 's'), info('web01.http.total_seconds', 's'), info('web01.http.status'), info('web01.json.node.a.load'), info('web01.json.node.b.load')];
    expect(summary(infos, ['web01.http', 'web01.json'])).toEqual([
      ['node', '', ['web01.json.node.a.load', 'web01.json.node.b.load']],
      ['status', '', ['web01.http.status']],
      ['total_seconds, ttfb_seconds', 's', ['web01.http.total_seconds', 'web01.http.ttfb_seconds']],
    ]);
  });

  it('splits a set past the lines a small graph can show', () => {
    const infos = Array.from({ length: PANEL_LIMIT + 5 }, (_, i) => info(`h.x.net.eth0.q${String(i).padStart(2, '0')}_bytes`, 'B'));
    const panels = hostPanels(infos, ['h.x']);
    expect(panels.map((p) => [p.title, p.series.length])).toEqual([
      [`Interface eth0, 1–${PANEL_LIMIT} of ${PANEL_LIMIT + 5}`, PANEL_LIMIT],
      [`Interface eth0, ${PANEL_LIMIT + 1}–${PANEL_LIMIT + 5} of ${PANEL_LIMIT + 5}`, 5],
    ]);
    expect(new Set(panels.map((p) => p.key)).size).toBe(2);
  });
});

describe('host scope', () => {
  const agent: AgentNode = {
    kind: 'agent',
    name: 'web01',
    state: 'up',
    since: 0,
    lastSeen: 0,
    hostname: 'web01.example',
    instances: [
      { name: 'web01.http', slurper: 'http', up: true, lastRun: 0 },
      { name: 'web01.disk', slurper: 'disk', up: true, lastRun: 0 },
    ],
  };
  const instance: InstanceNode = { kind: 'instance', name: 'host.db01', state: 'down', since: 0, lastSeen: 0, slurper: 'host', up: false, lastRun: 0 };

  it('covers a node by its instances, a group by its prefix', () => {
    expect(hostScope('web01', [agent, instance])).toEqual({ prefixes: ['web01.http', 'web01.disk'], nodes: [agent] });
    expect(hostScope('instance:host.db01', [agent, instance])).toEqual({ prefixes: ['host.db01'], nodes: [instance] });
    // A group: the nodes whose instances lie in it or hold it.
    expect(hostScope('host.db01', [agent, instance])).toEqual({ prefixes: ['host.db01'], nodes: [instance] });
    expect(hostScope('web01.http.api', [agent, instance])).toEqual({ prefixes: ['web01.http.api'], nodes: [agent] });
    expect(hostScope('site3.web01', null)).toEqual({ prefixes: ['site3.web01'], nodes: [] });
  });

  it('takes the alarms of its series and its nodes', () => {
    const scope = hostScope('instance:host.db01', [agent, instance]);
    expect(['host.db01.load.1m', 'host.db010.load.1m', 'node:instance:host.db01', 'node:web01'].filter((item) => inScope(item, scope))).toEqual(['host.db01.load.1m', 'node:instance:host.db01']);
  });
});
