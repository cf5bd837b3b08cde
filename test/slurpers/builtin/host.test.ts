/**
 * The host slurper, its values checked for plausibility against /proc read
 * independently by the test, and its parsers against known text.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import host from '../../../slurpers/builtin/host.js';
import { parseMeminfo } from '../../../slurpers/builtin/system/meminfo.js';
import { parseNetDev } from '../../../slurpers/builtin/system/net-dev.js';
import { cpuPercent, parseCpuTimes } from '../../../slurpers/builtin/system/proc-stat.js';
import { runOnce } from '../../../slurpers/host/run-once.js';

const run = (options: object = {}) => runOnce(host, { name: 'box', timeoutSeconds: 10, options });

describe('host on this machine', () => {
  it('reports plausible values, consistent with /proc read independently', async () => {
    const netBefore = await readFile('/proc/net/dev', 'utf8');
    const outcome = await run({ cpuSampleSeconds: 0.3, excludeInterfaces: [] });
    expect(outcome.error).toBeUndefined();
    const byName = new Map(outcome.samples.map((s) => [s.series, s]));
    const v = (series: string): number => {
      const value = byName.get(series)?.value;
      if (typeof value !== 'number') throw new Error(`no value for ${series}`);
      return value;
    };

    const states = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'].map((s) => v(`box.cpu.${s}_percent`));
    // Every share is rounded to 0.01; the sum of eight may be off by a few hundredths, or all zero on an idle tickless box.
    const sum = states.reduce((a, b) => a + b, 0);
    expect(sum === 0 || Math.abs(sum - 100) < 0.1).toBe(true);
    expect(v('box.cpu.busy_percent')).toBeGreaterThanOrEqual(0);
    expect(v('box.cpu.busy_percent')).toBeLessThanOrEqual(100);
    const cpuLines = (await readFile('/proc/stat', 'utf8')).split('\n').filter((l) => /^cpu\d+ /.test(l)).length;
    expect(v('box.cpu.count')).toBe(cpuLines);

    const [load1] = (await readFile('/proc/loadavg', 'utf8')).split(' ').map(Number);
    expect(Math.abs(v('box.load.1m') - load1)).toBeLessThan(Math.max(2, load1));
    expect(v('box.processes')).toBeGreaterThan(1);

    const meminfo = parseMeminfo(await readFile('/proc/meminfo', 'utf8'));
    expect(v('box.memory.total_bytes')).toBe(meminfo.get('MemTotal'));
    expect(v('box.memory.used_bytes') + v('box.memory.available_bytes')).toBe(v('box.memory.total_bytes'));
    expect(v('box.memory.used_percent')).toBeGreaterThan(0);
    expect(v('box.memory.used_percent')).toBeLessThan(100);
    expect(v('box.swap.total_bytes')).toBe(meminfo.get('SwapTotal'));
    expect(v('box.swap.used_bytes')).toBe(v('box.swap.total_bytes') - v('box.swap.free_bytes'));

    // Counters only grow: at least what the test read just before, and of kind COUNTER.
    const lo = parseNetDev(netBefore).find((i) => i.name === 'lo');
    if (lo) {
      expect(v('box.net.lo.rx_bytes')).toBeGreaterThanOrEqual(lo.rxBytes);
      expect(byName.get('box.net.lo.rx_bytes')?.kind).toBe('COUNTER');
    }
  });

  it('leaves lo out by default, and takes only the interfaces asked for', async () => {
    expect((await run({ cpuSampleSeconds: 0.1 })).samples.some((s) => s.series.startsWith('box.net.lo.'))).toBe(false);
    const only = (await run({ cpuSampleSeconds: 0.1, interfaces: ['lo'] })).samples.filter((s) => s.series.startsWith('box.net.'));
    expect(new Set(only.map((s) => s.series.split('.')[2]))).toEqual(new Set(['lo']));
  });

  it('has temperatures only where /sys/class/thermal has zones', async () => {
    const { readdir } = await import('node:fs/promises');
    const zones = (await readdir('/sys/class/thermal').catch(() => [] as string[])).filter((z) => z.startsWith('thermal_zone'));
    const temps = (await run({ cpuSampleSeconds: 0.1 })).samples.filter((s) => s.series.startsWith('box.temp.'));
    if (zones.length === 0) expect(temps).toEqual([]);
    else for (const t of temps) expect(t.value).toBeGreaterThan(-50);
  });
});

describe('the /proc parsers', () => {
  it('CPU % is the share of each state between two readings', () => {
    const before = parseCpuTimes('cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3 4\n');
    const after = parseCpuTimes('cpu  160 0 70 900 70 0 0 0 0 0\n');
    expect(cpuPercent(before, after)).toEqual({ user: 30, nice: 0, system: 10, idle: 50, iowait: 10, irq: 0, softirq: 0, steal: 0, busy: 40 });
    expect(cpuPercent(after, after).busy).toBe(0);
  });

  it('meminfo in bytes, counts as counts', () => {
    const fields = parseMeminfo('MemTotal:       1000 kB\nHugePages_Total:       4\n');
    expect(fields.get('MemTotal')).toBe(1024000);
    expect(fields.get('HugePages_Total')).toBe(4);
  });

  it('net/dev columns', () => {
    const text = 'Inter-|   Receive\n face |bytes\n  eth0: 100 2 3 0 0 0 0 0 200 4 5 0 0 0 0 0\n';
    expect(parseNetDev(text)).toEqual([{ name: 'eth0', rxBytes: 100, rxPackets: 2, rxErrors: 3, txBytes: 200, txPackets: 4, txErrors: 5 }]);
  });
});
