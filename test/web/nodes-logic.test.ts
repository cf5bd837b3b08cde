/**
 * The nodes panel's logic without a browser: problems first (down, late,
 * up; by name, an agent before an instance of its name), the fold of a
 * fleet's many nodes up, the header's counts, node keys and node-down items as the alarms API names them, how
 * a held series reads, where a node-down item links (its node's row, never
 * a graph), the node in the page address, and times with their zone.
 */
import { describe, expect, it } from 'vitest';
import type { NodeInfo, NodeState } from '../../web/src/api-types.js';
import { formatZonedTime } from '../../web/src/format.js';
import { itemHref, nodeHref } from '../../web/src/navigation.js';
import { countNodes, heldText, nodeCountsText, nodeItem, nodeKey, nodeLabel, nodeOfItem, panelParts, parseNodeKey, sortNodes, UNFOLDED_UP } from '../../web/src/nodes.js';
import { readState, writeState, DEFAULT_STATE } from '../../web/src/url-state.js';

const agent = (name: string, state: NodeState): NodeInfo => ({ name, kind: 'agent', state, since: 100, lastSeen: 90, hostname: name, instances: [] });
const instance = (name: string, state: NodeState): NodeInfo => ({ name, kind: 'instance', state, since: 100, lastSeen: 90, slurper: 'http', up: state === 'up', lastRun: 90 });

describe('the nodes in the panel', () => {
  it('puts down nodes first, then late, then up, by name, an agent before an instance of its name', () => {
    const nodes = [agent('a1', 'up'), instance('web', 'late'), agent('z9', 'down'), agent('web', 'late'), agent('b2', 'down'), instance('a0', 'up')];
    expect(sortNodes(nodes).map((n) => `${n.state} ${n.kind} ${n.name}`)).toEqual([
      'down agent b2',
      'down agent z9',
      'late agent web',
      'late instance web',
      'up instance a0',
      'up agent a1',
    ]);
    expect(nodes[0].name).toBe('a1'); // a new list: the API's answer is left as it came
  });

  it('counts every state, zeros too, for the header', () => {
    const nodes = [...Array.from({ length: 12 }, (_, i) => agent(`n${i}`, 'up')), agent('x', 'late'), agent('y', 'down'), instance('z', 'down')];
    expect(countNodes(nodes)).toEqual({ up: 12, late: 1, down: 2 });
    expect(nodeCountsText(countNodes(nodes))).toBe('12 up · 1 late · 2 down');
    expect(nodeCountsText(countNodes([]))).toBe('0 up · 0 late · 0 down');
  });
});

describe('the panel of a fleet', () => {
  it('lists every node up to the fold, and past it folds the nodes up, never the problems', () => {
    const ups = (n: number) => Array.from({ length: n }, (_, i) => agent(`up${String(i).padStart(3, '0')}`, 'up'));
    const problems = [agent('b', 'late'), agent('a', 'down')];
    const few = panelParts([...ups(UNFOLDED_UP), ...problems]);
    expect(few.folded).toEqual([]);
    expect(few.listed.map((n) => n.name).slice(0, 3)).toEqual(['a', 'b', 'up000']);
    expect(few.listed).toHaveLength(UNFOLDED_UP + 2);
    const many = panelParts([...ups(UNFOLDED_UP + 1), ...problems]);
    expect(many.listed.map((n) => n.name)).toEqual(['a', 'b']);
    expect(many.folded).toHaveLength(UNFOLDED_UP + 1);
    expect(many.folded[0].name).toBe('up000');
    expect(panelParts(ups(3), 2)).toEqual({ listed: [], folded: ups(3) });
  });
});

describe('nodes as the alarms API names them', () => {
  it('keys an agent by its name and an instance as instance:<name>, and reads them back', () => {
    expect(nodeKey(agent('web03', 'up'))).toBe('web03');
    expect(nodeKey(instance('web', 'up'))).toBe('instance:web');
    expect(parseNodeKey('web03')).toEqual({ kind: 'agent', name: 'web03' });
    expect(parseNodeKey('instance:web')).toEqual({ kind: 'instance', name: 'web' });
    expect([nodeLabel('web03'), nodeLabel('instance:web')]).toEqual(['node web03', 'instance web']);
  });

  it('tells node-down items from series', () => {
    expect(nodeItem('web03')).toBe('node:web03');
    expect(nodeOfItem('node:web03')).toBe('web03');
    expect(nodeOfItem('node:instance:web')).toBe('instance:web');
    expect([nodeOfItem('web03.load'), nodeOfItem('node'), nodeOfItem('node:'), nodeOfItem('nodes.web03.up')]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('says what holds a series back, with the state of its node', () => {
    expect(heldText('web03', 'down')).toBe('held: node web03 is down');
    expect(heldText('web03', 'late')).toBe('held: node web03 is late');
    expect(heldText('instance:web', 'down')).toBe('held: instance web is down');
    // The nodes API not there, or the node back meanwhile: no state claimed.
    expect(heldText('web03', undefined)).toBe('held: node web03 is not up');
    expect(heldText('web03', 'up')).toBe('held: node web03 is not up');
  });

  it('links a node-down item to its node row in the overview, a series to its graph', () => {
    expect(itemHref('node:web03')).toBe('./?node=web03');
    expect(itemHref('node:instance:web')).toBe(`./?node=${encodeURIComponent('instance:web')}`);
    expect(itemHref('node:web03')).not.toContain('view=graph');
    expect(itemHref('web03.load')).toBe('./?view=graph&s=web03.load');
    expect(nodeHref('web03')).toBe('./?node=web03');
  });

  it('keeps the node pointed out in the address', () => {
    const state = { ...DEFAULT_STATE, node: 'instance:web' };
    expect(readState(writeState(state))).toEqual(state);
    expect(readState('?node=')).toEqual(DEFAULT_STATE);
  });
});

describe('times with their zone', () => {
  it('names the zone and counts the seconds', () => {
    const zone = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(1_800_000_005_000).find((p) => p.type === 'timeZoneName')?.value;
    const text = formatZonedTime(1_800_000_005);
    expect(zone).toBeTruthy();
    expect(text).toContain(zone);
    expect(text).toMatch(/:05\b/);
  });
});
