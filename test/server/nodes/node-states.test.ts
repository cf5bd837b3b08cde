/**
 * The node tracker on a clock of the test's: states from the last
 * heartbeat, `since` at the threshold for late and down and at the
 * returning heartbeat for up, each change handed on once, removed agents
 * forgotten. Each change names the kind of node (agent here; instances in
 * instance-node-states.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { until } from '../../helpers/wait.js';
import type { AgentRecord } from '../../../server/agents/index.js';
import { NodeTracker, stateAt, type NodeChange } from '../../../server/nodes/index.js';

const thresholds = { lateAfter: 60, downAfter: 300 };
const agent = (name: string, lastSeen: number): AgentRecord => ({ name, hostname: `${name}.example`, version: '0.1.0', instances: [], spooledSamples: 0, lastSeen, principal: 'agents' });

describe('stateAt', () => {
  it('is up to the late time, late to the down time, then down', () => {
    expect(stateAt(1000, 1060, thresholds)).toEqual({ state: 'up' });
    expect(stateAt(1000, 1060.5, thresholds)).toEqual({ state: 'late', began: 1060 });
    expect(stateAt(1000, 1300, thresholds)).toEqual({ state: 'late', began: 1060 });
    expect(stateAt(1000, 1300.5, thresholds)).toEqual({ state: 'down', began: 1300 });
  });
});

describe('NodeTracker', () => {
  it('follows a node through late, down and back, handing on each change once', () => {
    let now = 1000;
    let agents = [agent('a', 1000), agent('b', 1000)];
    const changes: NodeChange[] = [];
    const tracker = new NodeTracker({ agents: () => agents, thresholds, now: () => now, onChange: (c) => changes.push(c) });
    expect(tracker.look().map((n) => [n.name, n.state, n.since])).toEqual([['a', 'up', 1000], ['b', 'up', 1000]]);

    now = 1070; // a keeps sending, b stopped at 1000
    agents = [agent('a', 1065), agent('b', 1000)];
    expect(tracker.look().map((n) => [n.name, n.state, n.since])).toEqual([['a', 'up', 1000], ['b', 'late', 1060]]);
    expect(tracker.counts()).toEqual({ up: 1, late: 1, down: 0 });

    now = 1400;
    agents = [agent('a', 1395), agent('b', 1000)];
    expect(tracker.look([agents[1]]).map((n) => [n.name, n.state, n.since])).toEqual([['b', 'down', 1300]]);
    expect(tracker.counts()).toEqual({ up: 1, late: 0, down: 1 });

    now = 1500;
    agents = [agent('a', 1495), agent('b', 1499)];
    expect(tracker.look().map((n) => [n.name, n.state, n.since])).toEqual([['a', 'up', 1000], ['b', 'up', 1499]]);
    expect(changes).toEqual([
      { kind: 'agent', name: 'a', from: undefined, to: 'up', at: 1000 },
      { kind: 'agent', name: 'b', from: undefined, to: 'up', at: 1000 },
      { kind: 'agent', name: 'b', from: 'up', to: 'late', at: 1060 },
      { kind: 'agent', name: 'b', from: 'late', to: 'down', at: 1300 },
      { kind: 'agent', name: 'b', from: 'down', to: 'up', at: 1499 },
    ]);
  });

  it('starts a node known from agents.json in the state its last heartbeat gives, and forgets a removed agent', () => {
    let agents = [agent('old', 1000)];
    const tracker = new NodeTracker({ agents: () => agents, thresholds, now: () => 5000 });
    expect(tracker.look()).toMatchObject([{ name: 'old', state: 'down', since: 1300 }]);
    agents = [];
    expect(tracker.counts()).toEqual({ up: 0, late: 0, down: 0 });
  });

  it('looks on its own once started, until stopped', async () => {
    const changes: NodeChange[] = [];
    let now = 1000;
    const tracker = new NodeTracker({ agents: () => [agent('a', 1000)], thresholds, now: () => now, tickSeconds: 0.01, onChange: (c) => changes.push(c) }).start();
    try {
      now = 1100;
      await until(() => changes.length === 2, 'the tracker to see the node late');
      expect(changes.map((c) => c.to)).toEqual(['up', 'late']);
    } finally {
      tracker.stop();
    }
  });
});
