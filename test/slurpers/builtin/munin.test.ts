/**
 * The munin slurper run by the host's runOnce against real plugins of
 * Debian's munin-plugins-core (no munin-node), plus plugins written here to
 * see what munin-node's environment and dirtyconfig do, and a plugin that fails.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import munin from '../../../slurpers/builtin/munin.js';
import { runOnce } from '../../../slurpers/host/run-once.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-munin-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (options: object, timeoutSeconds = 20) => runOnce(munin, { name: 'm', timeoutSeconds, options: { stateDir: join(dir, 'state'), ...options } });
const byName = <T extends { series: string }>(samples: readonly T[]): Record<string, T> => Object.fromEntries(samples.map((s) => [s.series, s]));

function plugin(name: string, script: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('munin with real plugins', () => {
  it('uptime: one GAUGE series in days', async () => {
    const outcome = await run({ plugin: 'uptime' });
    expect(outcome.ok).toBe(true);
    const uptime = byName(outcome.samples)['m.uptime'];
    // The plugin's graph_vlabel, as it is: free text, the unit of a GAUGE.
    expect(uptime).toEqual({ series: 'm.uptime', value: expect.any(Number), time: expect.any(Number), unit: 'uptime in days' });
    expect(uptime.value).toBeGreaterThan(0);
  });

  it('cpu: DERIVE series, one per configured field', async () => {
    const samples = byName((await run({ plugin: 'cpu' })).samples);
    for (const field of ['user', 'nice', 'system', 'idle']) expect(samples[`m.${field}`]).toMatchObject({ kind: 'DERIVE', value: expect.any(Number) });
    // Its vlabel `%` is what Munin draws after scaling the jiffies itself, not the unit of the values: no unit.
    expect(samples['m.user']).not.toHaveProperty('unit');
  });

  it('df: percentages with the warning and critical offered as Nagios ranges', async () => {
    const samples = (await run({ plugin: '/usr/share/munin/plugins/df' })).samples.filter((s) => !/\.(up|duration_seconds)$/.test(s.series));
    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples) expect(s).toMatchObject({ unit: '%', thresholds: { warning: '~:92', critical: '~:98' } });
  });

  it('load, memory and forks run as munin-node would run them', async () => {
    expect(byName((await run({ plugin: 'load' })).samples)['m.load']).toMatchObject({ value: expect.any(Number), unit: 'load' });
    // graph_vlabel Bytes.
    expect(byName((await run({ plugin: 'memory' })).samples)['m.apps']).toMatchObject({ value: expect.any(Number), unit: 'B' });
    expect(byName((await run({ plugin: 'memory' })).samples)['m.apps'].value).toBeGreaterThan(0);
    expect(byName((await run({ plugin: 'forks' })).samples)['m.forks']).toMatchObject({ kind: 'DERIVE' });
  });

  it('netstat: a multigraph plugin gives <graph>.<field>', async () => {
    const samples = byName((await run({ plugin: 'netstat' })).samples);
    expect(samples['m.netstat.active']).toMatchObject({ kind: 'DERIVE', value: expect.any(Number) });
    expect(samples['m.netstat.established']).toMatchObject({ value: expect.any(Number) });
  });

  it('if_ as if_lo: a wildcard plugin run under its linked name; its field `up` renamed up_', async () => {
    const samples = byName((await run({ plugin: 'if_', runAs: 'if_lo' })).samples);
    // `bits in (-) / out (+) per ${graph_period}` drawn with `down.cdef down,8,*`: the values are bytes, stored per second.
    expect(samples['m.down']).toMatchObject({ kind: 'DERIVE', value: expect.any(Number), unit: 'B' });
    expect(samples['m.up_']).toMatchObject({ kind: 'DERIVE', value: expect.any(Number), unit: 'B' });
    expect(samples['m.up']).toMatchObject({ value: 1 });
  });
});

describe('munin-node behaviour', () => {
  const counter = join(dir, 'runs');

  it('gives the plugin state paths and extra env; a value with its own time keeps it', async () => {
    const file = plugin('stateful', `
echo run >> "${counter}"
if [ "$1" = config ]; then echo "graph_title T"; echo "hits.type COUNTER"; echo "hits.warning 10:20"; exit 0; fi
n=$(cat "$MUNIN_STATEFILE" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "$MUNIN_STATEFILE"
echo "hits.value 1700000000:$n"; echo "extra.value $GREETING"`);
    const first = await run({ plugin: file, env: { GREETING: '42' } });
    const second = await run({ plugin: file, env: { GREETING: '43' } });
    expect(byName(first.samples)['m.hits']).toEqual({ series: 'm.hits', value: 1, time: 1700000000, kind: 'COUNTER', thresholds: { warning: '10:20' } });
    expect(byName(second.samples)['m.hits'].value).toBe(2);
    expect(byName(second.samples)['m.extra'].value).toBe(43);
    expect(readFileSync(join(dir, 'state', 'stateful.state'), 'utf8').trim()).toBe('2');
    expect(readFileSync(counter, 'utf8').split('\n').filter(Boolean)).toHaveLength(4);
  });

  it("without a stateDir, keeps the plugin's state in the instance's own state folder", async () => {
    const file = plugin('remembers', `
if [ "$1" = config ]; then echo "n.label N"; exit 0; fi
n=$(cat "$MUNIN_STATEFILE" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "$MUNIN_STATEFILE"
echo "n.value $n"`);
    const stateRoot = join(dir, 'slurper-state');
    const once = () => runOnce(munin, { name: 'web01.remembers', timeoutSeconds: 20, options: { plugin: file } }, { stateRoot });
    expect(byName((await once()).samples)['web01.remembers.n'].value).toBe(1);
    expect(byName((await once()).samples)['web01.remembers.n'].value).toBe(2);
    expect(readFileSync(join(stateRoot, 'web01.remembers', 'remembers.state'), 'utf8').trim()).toBe('2');
  });

  it('dirtyconfig: values printed with the config save the second run', async () => {
    rmSync(counter, { force: true });
    const file = plugin('dirty', `
echo run >> "${counter}"
echo "a.label A"
[ "$MUNIN_CAP_DIRTYCONFIG" = 1 ] || [ "$1" != config ] && echo "a.value 5"
exit 0`);
    expect(byName((await run({ plugin: file, dirtyConfig: true })).samples)['m.a'].value).toBe(5);
    expect(readFileSync(counter, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
    expect(byName((await run({ plugin: file })).samples)['m.a'].value).toBe(5);
    expect(readFileSync(counter, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('a plugin that hangs is killed at the run timeout', async () => {
    const hung = plugin('hung', 'sleep 30');
    const started = Date.now();
    expect(await run({ plugin: hung }, 0.5)).toMatchObject({ ok: false, error: 'timed out after 0.5 s' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a plugin that fails, or prints nothing, fails the run with its stderr', async () => {
    const broken = plugin('broken', 'echo "cannot read /proc/foo" >&2; exit 1');
    expect(await run({ plugin: broken })).toMatchObject({ ok: false, error: 'broken config exited with status 1: cannot read /proc/foo' });
    const empty = plugin('empty', '[ "$1" = config ] && echo "a.label A"; exit 0');
    expect(await run({ plugin: empty })).toMatchObject({ ok: false, error: 'empty printed no values' });
  });
});
