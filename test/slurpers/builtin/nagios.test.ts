/**
 * The nagios slurper run by the host's runOnce against real Monitoring
 * Plugins (Debian's monitoring-plugins-basic): states from exit statuses,
 * perfdata as series in base units, and the faults — a plugin that hangs,
 * one that is missing, one that exits with a status Nagios does not know.
 */
import { describe, expect, it } from 'vitest';
import type { SlurperLogger } from '../../../slurpers/contract.js';
import nagios from '../../../slurpers/builtin/nagios.js';
import { runOnce } from '../../../slurpers/host/run-once.js';
import { freePort } from '../../helpers/free-port.js';
import { closingListener } from './closing-listener.js';

function recordingLogger(): SlurperLogger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = (): void => {};
  return { warnings, debug: ignore, info: ignore, error: ignore, warn: (a: object | string, b?: string) => void warnings.push(typeof a === 'string' ? a : b ?? '') };
}

const run = (options: object, timeoutSeconds = 10, log?: SlurperLogger) => runOnce(nagios, { name: 'chk', timeoutSeconds, options }, { log });
const byName = <T extends { series: string }>(samples: readonly T[]): Record<string, T> => Object.fromEntries(samples.map((s) => [s.series, s]));

describe('nagios', () => {
  const listener = closingListener();

  it('check_dummy: each exit status is its state, the first line its message', async () => {
    for (const [code, status] of [['0', 'OK'], ['1', 'WARNING'], ['2', 'CRITICAL'], ['3', 'UNKNOWN']]) {
      const outcome = await run({ command: 'check_dummy', args: [code, 'as told'] });
      expect(outcome).toMatchObject({ ok: true, state: { status, message: `${status}: as told` } });
      expect(outcome.samples.map((s) => s.series)).toEqual(['chk.up', 'chk.duration_seconds']);
    }
  });

  it('check_tcp against a listener: OK, response time in seconds with the thresholds offered', async () => {
    const outcome = await run({ command: 'check_tcp', args: ['-H', '127.0.0.1', '-p', String(listener.port), '-w', '5', '-c', '10'] });
    expect(outcome.state).toMatchObject({ status: 'OK', message: expect.stringMatching(/^TCP OK/) });
    const time = byName(outcome.samples)['chk.time'];
    expect(time).toMatchObject({ thresholds: { warning: '5', critical: '10' } });
    expect(time.value).toBeGreaterThanOrEqual(0);
    expect(time.value).toBeLessThan(5);
  });

  it('check_tcp against a closed port: CRITICAL with the refusal, and no series', async () => {
    const closed = await freePort();
    const outcome = await run({ command: '/usr/lib/nagios/plugins/check_tcp', args: ['-H', '127.0.0.1', '-p', String(closed)] });
    expect(outcome).toMatchObject({ ok: true, state: { status: 'CRITICAL', message: expect.stringContaining('Connection refused') } });
    expect(outcome.samples).toHaveLength(2);
  });

  it('check_disk and check_load: bytes and loads, named after their labels', async () => {
    const disk = byName((await run({ command: 'check_disk', args: ['-w', '1%', '-c', '0%', '-p', '/'] })).samples);
    expect(disk['chk._']).toMatchObject({ value: expect.any(Number), thresholds: { warning: expect.stringMatching(/^\d+$/) } });
    expect(disk['chk._'].value).toBeGreaterThan(1024 ** 2);
    const load = await run({ command: 'check_load', args: ['-w', '1000,1000,1000', '-c', '2000,2000,2000'] });
    expect(load.state?.status).toBe('OK');
    expect(byName(load.samples)['chk.load1']).toMatchObject({ thresholds: { warning: '1000', critical: '2000' } });
    expect(Object.keys(byName(load.samples))).toEqual(['chk.load1', 'chk.load5', 'chk.load15', 'chk.up', 'chk.duration_seconds']);
  });

  it('counters, clashing and reserved labels: COUNTER kind, first of a name kept, up renamed', async () => {
    const log = recordingLogger();
    const outcome = await run({ command: 'check_dummy', args: ['0', "fine | up=1 'a b'=2c a_b=3 t=250ms;100;200 bad=x"] }, 10, log);
    const samples = byName(outcome.samples);
    expect(samples['chk.up_']).toMatchObject({ value: 1 });
    expect(samples['chk.a_b']).toMatchObject({ value: 2, kind: 'COUNTER' });
    expect(samples['chk.t']).toMatchObject({ value: 0.25, thresholds: { warning: '0.1', critical: '0.2' } });
    expect(log.warnings).toEqual([expect.stringContaining('"bad=x"'), expect.stringContaining('left out series a_b')]);
  });

  it('an exit status Nagios does not know is UNKNOWN, and says so', async () => {
    const outcome = await run({ command: '/bin/sh', args: ['-c', 'echo something odd; exit 7'] });
    expect(outcome.state).toEqual({ status: 'UNKNOWN', message: 'something odd (exit status 7)' });
    const silent = await run({ command: '/bin/sh', args: ['-c', 'echo oops >&2; exit 2'] });
    expect(silent.state).toEqual({ status: 'CRITICAL', message: '/bin/sh exited with status 2 and printed nothing; stderr: oops' });
  });

  it('a plugin that hangs is killed at the run timeout; a missing one fails the run by name', async () => {
    const started = Date.now();
    const hung = await run({ command: '/bin/sleep', args: ['30'] }, 0.5);
    expect(hung).toMatchObject({ ok: false, state: { status: 'UNKNOWN' }, error: expect.stringContaining('timed out after 0.5 s') });
    expect(Date.now() - started).toBeLessThan(5000);
    const missing = await run({ command: 'check_nothing_here' });
    expect(missing).toMatchObject({ ok: false, error: expect.stringContaining('/usr/lib/nagios/plugins/check_nothing_here: cannot run: not found') });
  });

  it('options are checked at the door, naming the key', async () => {
    const outcome = await run({ args: ['0'] });
    expect(outcome.error).toContain('slurpers.chk.options.command: is required');
  });
});
