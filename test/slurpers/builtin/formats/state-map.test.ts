/** Values to check states: sets, per-site overrides, missing values, and which state is worst. */
import { describe, expect, it } from 'vitest';
import { mapStates, worstStatus } from '../../../../slurpers/builtin/formats/state-map.js';
import type { CheckStatus } from '../../../../slurpers/contract.js';
import { doc } from './nodes-doc.js';


describe('state map', () => {
  const rule = { path: 'nodes[*].currentState', series: 'node.{name}.state', ok: [6], overrideBy: 'site', overrides: { 'site-a': { ok: [5, '6'] } } };

  it('OK by the default set or the override of the element\'s site; missing is UNKNOWN', () => {
    const { states, problems } = mapStates(doc, rule);
    expect(problems).toEqual([]);
    expect(states.map((s) => [s.series, s.status])).toEqual([
      ['node.n1.state', 'OK'], ['node.n2.state', 'CRITICAL'], ['node.n3.state', 'OK'], ['node.n_4_x.state', 'UNKNOWN'],
    ]);
  });

  it('a warning set, another otherwise, and a template that fails still gives the state', () => {
    const { states, problems } = mapStates(doc, { path: 'nodes[*].currentState', series: 'n.{missing}', ok: [6], warning: ['5'], otherwise: 'UNKNOWN' });
    expect(states.map((s) => [s.status, s.seriesOk])).toEqual([['WARNING', false], ['WARNING', false], ['OK', false], ['UNKNOWN', false]]);
    expect(problems).toHaveLength(4);
  });

  it('the worst state wins: OK < WARNING < UNKNOWN < CRITICAL', () => {
    expect((['WARNING', 'OK', 'UNKNOWN'] as const).reduce<CheckStatus>(worstStatus, 'OK')).toBe('UNKNOWN');
    expect(worstStatus('CRITICAL', 'UNKNOWN')).toBe('CRITICAL');
  });
});
