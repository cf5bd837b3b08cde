/**
 * A run's check state as the series `<instance>.state`: the Nagios code as
 * the value, the message with the sample, thresholds offered so that the
 * server's `offered` rule gives WARNING at 1 and 3 and CRITICAL at 2; a
 * failed run writes UNKNOWN only for an instance whose slurper has given a
 * state, so a slurper that never gives one is never left stuck at UNKNOWN.
 */
import { describe, expect, it } from 'vitest';
import { levelOf } from '../../../server/alarms/level.js';
import { parseNagiosRange, type NagiosRange } from '../../../server/alarms/nagios-range.js';
import { defineSlurper, MAX_MESSAGE_LENGTH, Type, type CheckState } from '../../../slurpers/contract.js';
import { runOnce } from '../../../slurpers/host/run-once.js';
import { STATE_THRESHOLDS, StateSeries } from '../../../slurpers/host/state-series.js';

/** A slurper that does what the test tells it: give a state, give none, or throw. */
let next: { state?: CheckState; fail?: string } = {};
const told = defineSlurper({
  name: 'told',
  description: 'Returns the state it is told to, or throws.',
  options: Type.Object({}),
  async collect() {
    if (next.fail !== undefined) throw new Error(next.fail);
    return next.state === undefined ? [{ series: 'value', value: 1 }] : { samples: [{ series: 'value', value: 1 }], state: next.state };
  },
});
const NOW = 1_800_000_000;
const run = async (states: StateSeries, instance: string, what: typeof next) => {
  next = what;
  return states.samplesOf(instance, await runOnce(told, { name: instance, timeoutSeconds: 5 }, { now: () => NOW }));
};
const stateOf = <T extends { series: string }>(samples: readonly T[]): T | undefined => samples.find((s) => s.series.endsWith('.state'));

describe('the state series', () => {
  it('writes the state as its Nagios code with the message and the offered thresholds, at the run time', async () => {
    const states = new StateSeries();
    for (const [status, code] of [['OK', 0], ['WARNING', 1], ['CRITICAL', 2], ['UNKNOWN', 3]] as const) {
      const samples = await run(states, 'chk', { state: { status, message: `${status}: as told` } });
      expect(samples.map((s) => s.series)).toEqual(['chk.value', 'chk.up', 'chk.duration_seconds', 'chk.state']);
      expect(stateOf(samples)).toEqual({ series: 'chk.state', value: code, time: NOW, thresholds: STATE_THRESHOLDS, message: `${status}: as told` });
    }
  });

  it('writes UNKNOWN with the error for a failed run only once the instance has given a state', async () => {
    const states = new StateSeries();
    expect(stateOf(await run(states, 'plain', { fail: 'no route to host' }))).toBeUndefined();
    expect(stateOf(await run(states, 'plain', {}))).toBeUndefined();
    expect(stateOf(await run(states, 'checked', { fail: 'no route to host' }))).toBeUndefined();
    await run(states, 'checked', { state: { status: 'OK', message: 'fine' } });
    expect(stateOf(await run(states, 'checked', { fail: 'no route to host' }))).toMatchObject({ value: 3, message: 'no route to host' });
    // Another instance's state says nothing about this one.
    expect(stateOf(await run(states, 'plain', { fail: 'still down' }))).toBeUndefined();
  });

  it(`cuts a message longer than ${MAX_MESSAGE_LENGTH} characters`, async () => {
    const samples = await run(new StateSeries(), 'chk', { state: { status: 'OK', message: 'y'.repeat(5000) } });
    const message = stateOf(samples)?.message ?? '';
    expect(message).toHaveLength(MAX_MESSAGE_LENGTH);
    expect(message.endsWith('…')).toBe(true);
  });

  it("gives, under the server's offered rule, OK at 0, WARNING at 1, CRITICAL at 2 and WARNING at 3 (UNKNOWN)", () => {
    const range = (text: string | undefined): NagiosRange => parseNagiosRange(text as string) as NagiosRange;
    const thresholds = { warning: range(STATE_THRESHOLDS.warning), critical: range(STATE_THRESHOLDS.critical) };
    expect([0, 1, 2, 3].map((code) => levelOf(code, thresholds, 'OK', 0))).toEqual(['OK', 'WARNING', 'CRITICAL', 'WARNING']);
    // From CRITICAL (hysteresis 0, as the offered rule has) each code goes straight to its own level.
    expect([0, 1, 2, 3].map((code) => levelOf(code, thresholds, 'CRITICAL', 0))).toEqual(['OK', 'WARNING', 'CRITICAL', 'WARNING']);
  });
});
