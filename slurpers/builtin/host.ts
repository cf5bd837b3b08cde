/**
 * `host`: the machine's vital signs from /proc and /sys.
 *
 * - `cpu.<state>_percent` (busy, user, system, iowait, steal, ...) over a
 *   short window inside the run (`cpuSampleSeconds`, but at most half the
 *   run's time limit: an instance every 500 ms, whose runs may take 500 ms,
 *   measures over 250 ms rather than time out), and `cpu.count`;
 * - `load.1m`, `load.5m`, `load.15m`; `processes`;
 * - `memory.{total,available,used}_bytes`, `memory.used_percent`,
 *   `swap.{total,free,used}_bytes`;
 * - `net.<interface>.{rx,tx}_{bytes,packets,errors}` as COUNTER samples:
 *   the archive derives the rates, so no state is kept between runs;
 * - `temp.<sensor>.celsius` where /sys/class/thermal has zones.
 */
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineSlurper, Type, type CollectedSample } from '../contract.js';
import { parseMeminfo } from './system/meminfo.js';
import { parseNetDev } from './system/net-dev.js';
import { cpuPercent, parseCpuTimes } from './system/proc-stat.js';
import { uniqueSegments } from './system/series-segment.js';
import { readThermalZones } from './system/thermal.js';

/** The largest share of the run's time limit the CPU window takes. */
const WINDOW_SHARE = 0.5;

export default defineSlurper({
  name: 'host',
  description: 'CPU %, load, memory, swap, network bytes, process count and temperatures of this machine.',
  options: Type.Object(
    {
      cpuSampleSeconds: Type.Number({
        minimum: 0.1,
        maximum: 10,
        default: 1,
        description: "The window CPU % is measured over; at most half the run's time limit (the instance's timeout, or its every when shorter), which shortens it.",
      }),
      interfaces: Type.Optional(Type.Array(Type.String(), { description: 'Only these network interfaces.' })),
      excludeInterfaces: Type.Array(Type.String(), { default: ['lo'] }),
    },
    { additionalProperties: false },
  ),
  async collect(ctx, options) {
    const read = (path: string): Promise<string> => readFile(path, { encoding: 'utf8', signal: ctx.signal });
    // The other half of the time limit is for reading /proc before and after the window, on a busy host.
    const windowSeconds = Math.min(options.cpuSampleSeconds, ctx.timeoutSeconds * WINDOW_SHARE);
    const statBefore = parseCpuTimes(await read('/proc/stat'));
    // The rest is read while the CPU window runs.
    const [statText, meminfo, loadavg, netDev, entries, zones] = await Promise.all([
      sleep(windowSeconds * 1000, undefined, { signal: ctx.signal }).then(() => read('/proc/stat')),
      read('/proc/meminfo').then(parseMeminfo),
      read('/proc/loadavg'),
      read('/proc/net/dev').then(parseNetDev),
      readdir('/proc'),
      readThermalZones(),
    ]);
    const samples: CollectedSample[] = [];
    const add = (series: string, value: number | undefined, unit: string, kind?: CollectedSample['kind']): void => {
      if (value !== undefined && Number.isFinite(value)) samples.push(kind ? { series, value, unit, kind } : { series, value, unit });
    };

    for (const [state, percent] of Object.entries(cpuPercent(statBefore, parseCpuTimes(statText)))) add(`cpu.${state}_percent`, percent, '%');
    add('cpu.count', statText.split('\n').filter((line) => /^cpu\d+ /.test(line)).length, 'count');
    const [load1, load5, load15] = loadavg.split(' ').map(Number);
    add('load.1m', load1, 'load');
    add('load.5m', load5, 'load');
    add('load.15m', load15, 'load');
    add('processes', entries.filter((entry) => /^\d+$/.test(entry)).length, 'count');

    const total = meminfo.get('MemTotal');
    // MemAvailable exists since Linux 3.14; before, free + buffers + cache is the usual estimate.
    const available = meminfo.get('MemAvailable') ?? (meminfo.get('MemFree') ?? 0) + (meminfo.get('Buffers') ?? 0) + (meminfo.get('Cached') ?? 0);
    add('memory.total_bytes', total, 'B');
    add('memory.available_bytes', available, 'B');
    if (total !== undefined) {
      add('memory.used_bytes', total - available, 'B');
      add('memory.used_percent', total > 0 ? Math.round(((total - available) / total) * 10000) / 100 : undefined, '%');
    }
    const swapTotal = meminfo.get('SwapTotal');
    const swapFree = meminfo.get('SwapFree');
    add('swap.total_bytes', swapTotal, 'B');
    add('swap.free_bytes', swapFree, 'B');
    if (swapTotal !== undefined && swapFree !== undefined) add('swap.used_bytes', swapTotal - swapFree, 'B');

    const interfaces = netDev.filter((i) => (options.interfaces ? options.interfaces.includes(i.name) : !options.excludeInterfaces.includes(i.name)));
    const ifLabels = uniqueSegments(interfaces.map((i) => i.name));
    for (const [n, i] of interfaces.entries()) {
      // Counters of what is counted: their archives store rates, listed B/s, packets/s, errors/s.
      const counters = { rx_bytes: [i.rxBytes, 'B'], tx_bytes: [i.txBytes, 'B'], rx_packets: [i.rxPackets, 'packets'], tx_packets: [i.txPackets, 'packets'], rx_errors: [i.rxErrors, 'errors'], tx_errors: [i.txErrors, 'errors'] } as const;
      for (const [name, [value, unit]] of Object.entries(counters)) add(`net.${ifLabels[n]}.${name}`, value, unit, 'COUNTER');
    }
    const zoneLabels = uniqueSegments(zones.map((z) => z.type));
    for (const [n, zone] of zones.entries()) add(`temp.${zoneLabels[n]}.celsius`, zone.celsius, '°C');
    return samples;
  },
});
