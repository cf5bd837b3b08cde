/** A rule's `states` block as the config file gives it: compiled, and refused with the key named when it is wrong. */
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../../server/alarms/rule-set.js';
import { loadConfig } from '../../../server/config/index.js';
import { problemsOf, tempConfigDir } from '../config/helpers.js';

const files = tempConfigDir();
const withRule = (rule: string): string => files.write(['alarms:', '  rules:', `    - { name: up, match: "fleet.*.code", ${rule} }`, ''].join('\n'));
const keysOf = (rule: string): string[] => problemsOf(withRule(rule)).map((p) => p.key);

describe('alarms.rules[].states', () => {
  it('compiles a set, its window, what it requires and the level it raises', () => {
    const rules = compileRules(loadConfig(withRule('states: { ok: [6, 5, 6], window: 1m, require: any, level: warning }'), { env: {} }).alarms);
    expect(rules.ruleFor('fleet.n1.code')?.states).toEqual({ ok: [5, 6], windowSeconds: 60, require: 'any', level: 'WARNING' });
  });

  it('requires all values and raises CRITICAL when not told otherwise', () => {
    const rules = compileRules(loadConfig(withRule('states: { ok: [6], window: 30s }'), { env: {} }).alarms);
    expect(rules.ruleFor('fleet.n1.code')?.states).toEqual({ ok: [6], windowSeconds: 30, require: 'all', level: 'CRITICAL' });
  });

  it('refuses an empty set, a set of text, and a set too large', () => {
    expect(keysOf('states: { ok: [], window: 1m }')).toEqual(['alarms.rules[0].states.ok']);
    expect(keysOf('states: { ok: [up], window: 1m }')).toEqual(['alarms.rules[0].states.ok[0]']);
    const many = Array.from({ length: 257 }, (_, i) => i).join(', ');
    expect(keysOf(`states: { ok: [${many}], window: 1m }`)).toEqual(['alarms.rules[0].states.ok']);
  });

  it('refuses a window out of bounds, and a missing one', () => {
    expect(keysOf('states: { ok: [6], window: 0s }')).toEqual(['alarms.rules[0].states.window']);
    expect(keysOf('states: { ok: [6], window: 2d }')).toEqual(['alarms.rules[0].states.window']);
    expect(keysOf('states: { ok: [6] }')).toEqual(['alarms.rules[0].states.window']);
  });

  it('refuses an unknown require or level', () => {
    expect(keysOf('states: { ok: [6], window: 1m, require: most }')).toEqual(['alarms.rules[0].states.require']);
    expect(keysOf('states: { ok: [6], window: 1m, level: ok }')).toEqual(['alarms.rules[0].states.level']);
  });

  it('refuses thresholds, for and hysteresis beside a set: the window is the delay', () => {
    const problems = problemsOf(withRule('states: { ok: [6], window: 1m }, critical: "> 6", for: 5m, hysteresis: 1'));
    expect(problems.map((p) => p.key)).toEqual(['alarms.rules[0].critical', 'alarms.rules[0].for', 'alarms.rules[0].hysteresis']);
    expect(problems[0]?.message).toContain('states');
  });
});
