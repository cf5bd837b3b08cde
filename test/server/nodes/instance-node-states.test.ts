/**
 * Server-run slurper instances as nodes, on a clock of the test's: up
 * while runs succeed, late once the last run failed or no good run came
 * for graceFactor × the instance's interval, down once none came for
 * nodes.downAfter (at least the late time plus one interval); listed
 * beside the agents with their kind, counted, changes handed on, removed
 * instances forgotten.
 */
import { describe, expect, it } from 'vitest';
import type { AgentRecord } from '../../../server/agents/index.js';
import { instanceStateAt, NodeTracker, type InstanceRecord, type NodeChange } from '../../../server/nodes/index.js';

const thresholds = { lateAfter: 60, downAfter: 300 };
const agent = (name: string, lastSeen: number): AgentRecord => ({ name, hostname: `${name}.example`, version: '0.1.0', instances: [], spooledSamples: 0, lastSeen, principal: 'agents' });
const instance = (name: string, run: Partial<InstanceRecord> = {}): InstanceRecord => ({ name, slurper: 'http', interval: 10, startedAt: 900, ...run });

describe('instanceStateAt', () => {
  const grace = { graceFactor: 2, downAfter: 300 };
  it('is up after a good run, late after graceFactor × interval without one, down after downAfter', () => {
    const ran = instance('web', { lastRun: 1000, up: true, lastGood: 1000 });
    expect(instanceStateAt(ran, 1020, grace)).toEqual({ state: 'up' });
    expect(instanceStateAt(ran, 1020.5, grace)).toEqual({ state: 'late', began: 1020 });
    expect(instanceStateAt(ran, 1300.5, grace)).toEqual({ state: 'down', began: 1300 });
  });

  it('is late at once when its last run failed (its up 0), down by the time of its last good run', () => {
    const failed = instance('web', { lastRun: 1010, up: false, lastGood: 1000 });
    expect(instanceStateAt(failed, 1012, grace)).toEqual({ state: 'late', began: 1010 });
    expect(instanceStateAt(failed, 1025, grace)).toEqual({ state: 'late', began: 1010 });
    expect(instanceStateAt(failed, 1301, grace)).toEqual({ state: 'down', began: 1300 });
  });

  it('counts from its start when no run was ever good', () => {
    const never = instance('web', { lastRun: 905, up: false });
    expect(instanceStateAt(never, 906, grace)).toEqual({ state: 'late', began: 905 });
    expect(instanceStateAt(never, 1201, grace)).toEqual({ state: 'down', began: 1200 });
  });

  it('is down no sooner than the late time plus one interval, for a slow instance', () => {
    const hourly = instance('backup', { interval: 3600, lastRun: 0, up: true, lastGood: 0 });
    expect(instanceStateAt(hourly, 7200, grace)).toEqual({ state: 'up' });
    expect(instanceStateAt(hourly, 7201, grace)).toEqual({ state: 'late', began: 7200 });
    expect(instanceStateAt(hourly, 10_801, grace)).toEqual({ state: 'down', began: 10_800 });
  });
});

describe('NodeTracker with instances', () => {
  it('lists agents and instances by name with their kind, follows an instance through late, down and back, and forgets a removed one', () => {
    let now = 1001;
    let instances: InstanceRecord[] = [instance('web', { lastRun: 1000, up: true, lastGood: 1000 }), instance('new')];
    const changes: NodeChange[] = [];
    const tracker = new NodeTracker({ agents: () => [agent('box', 1000)], instances: () => instances, thresholds, graceFactor: 2, now: () => now, onChange: (c) => changes.push(c) });
    // An instance that has not finished a run yet is not a node yet.
    expect(tracker.look().map((n) => [n.kind, n.name, n.state, n.since])).toEqual([
      ['agent', 'box', 'up', 1000],
      ['instance', 'web', 'up', 1000],
    ]);
    expect(tracker.look([agent('box', 1000)]).map((n) => n.name)).toEqual(['box']);

    now = 1012;
    instances = [instance('web', { lastRun: 1010, up: false, lastGood: 1000 })];
    expect(tracker.look()[1]).toMatchObject({ kind: 'instance', name: 'web', state: 'late', since: 1010 });
    expect(tracker.counts()).toEqual({ up: 1, late: 1, down: 0 });

    now = 1305;
    expect(tracker.look()[1]).toMatchObject({ state: 'down', since: 1300 });

    now = 1311;
    instances = [instance('web', { lastRun: 1310, up: true, lastGood: 1310 })];
    const back = tracker.look()[1];
    expect(back).toMatchObject({ state: 'up', since: 1310 });
    expect(back.kind === 'instance' && back.instance.lastGood).toBe(1310);

    instances = [];
    expect(tracker.look().map((n) => n.name)).toEqual(['box']);
    expect(changes.filter((c) => c.kind === 'instance')).toEqual([
      { kind: 'instance', name: 'web', from: undefined, to: 'up', at: 1000 },
      { kind: 'instance', name: 'web', from: 'up', to: 'late', at: 1010 },
      { kind: 'instance', name: 'web', from: 'late', to: 'down', at: 1300 },
      { kind: 'instance', name: 'web', from: 'down', to: 'up', at: 1310 },
      // Removed: gone, at the look that missed it (the node-down alarm ends).
      { kind: 'instance', name: 'web', from: 'up', to: 'gone', at: now },
    ]);
  });

  it('keeps an agent and an instance of one name apart', () => {
    const tracker = new NodeTracker({ agents: () => [agent('web', 1000)], instances: () => [instance('web', { lastRun: 990, up: false })], thresholds, now: () => 1001 });
    expect(tracker.look().map((n) => [n.kind, n.name, n.state])).toEqual([
      ['agent', 'web', 'up'],
      ['instance', 'web', 'late'],
    ]);
  });
});
