/** The alarms section compiled: which rule alarms a series, the offered rule, thresholds as ranges. */
import { describe, expect, it, vi } from 'vitest';
import { compileRules } from '../../../server/alarms/rule-set.js';
import { OFFERED_RULE } from '../../../server/alarms/model.js';
import { loadConfig } from '../../../server/config/index.js';
import { SegmentMatcher } from '../../../server/config-schema/index.js';
import { tempConfigDir } from '../config/helpers.js';
import { alarmsSettings, ruleSet } from './fixtures.js';

describe('compileRules', () => {
  it('gives a series the first rule whose patterns match, in config order', () => {
    const rules = ruleSet([
      { name: 'root-disk', match: 'host.*.disk.root.used_percent', critical: '> 95' },
      { name: 'disks', match: ['host.*.disk.*.used_percent', 'nas.**.used_percent'], warning: '> 80' },
      { name: 'everything-else', match: '**', nodata: 600 },
    ]);
    expect(rules.ruleFor('host.web01.disk.root.used_percent')?.name).toBe('root-disk');
    expect(rules.ruleFor('host.web01.disk.var.used_percent')?.name).toBe('disks');
    expect(rules.ruleFor('nas.a.b.used_percent')?.name).toBe('disks');
    expect(rules.ruleFor('host.web01.load')?.name).toBe('everything-else');
  });

  it('gives no rule to a series no pattern matches, and keeps saying so', () => {
    const rules = ruleSet([{ name: 'cpu', match: 'host.*.cpu', warning: 90 }]);
    expect(rules.ruleFor('host.web01.cpu.user')).toBeUndefined();
    expect(rules.ruleFor('host.web01.cpu.user')).toBeUndefined();
    expect(rules.ruleFor('host.web01.cpu')?.name).toBe('cpu');
  });

  it('matches the patterns once per series, remembering "no rule" too', () => {
    const rules = ruleSet([
      { name: 'a', match: 'a.*', warning: 1 },
      { name: 'b', match: ['b.*', 'c.*'], warning: 1 },
    ]);
    const test = vi.spyOn(SegmentMatcher.prototype, 'test');
    try {
      for (let i = 0; i < 100; i++) {
        rules.ruleFor('z.unmatched');
        rules.ruleFor('c.x');
      }
      // Three patterns tried for the first, three for the second (a.*, b.*, c.*), none after.
      expect(test).toHaveBeenCalledTimes(6);
    } finally {
      test.mockRestore();
    }
  });

  it('answers a repeated question with the same rule object', () => {
    const rules = ruleSet([{ name: 'cpu', match: 'host.*.cpu', warning: 90 }]);
    expect(rules.ruleFor('host.a.cpu')).toBe(rules.ruleFor('host.a.cpu'));
    expect(rules.ruleFor('host.a.cpu')).toBe(rules.rules[0]);
  });

  it('compiles the settings of a rule', () => {
    const rules = ruleSet([
      { name: 'latency', match: 'app.latency', warning: '> 200', critical: '@0:1', for: 300, hysteresis: 10, nodata: 900, notify: ['ops'], renotify: 3600 },
    ]);
    expect(rules.rules).toEqual([
      {
        name: 'latency',
        match: ['app.latency'],
        thresholds: { warning: { low: -Infinity, high: 200, inside: false, text: '~:200' }, critical: { low: 0, high: 1, inside: true, text: '@0:1' } },
        forSeconds: 300,
        hysteresis: 10,
        nodataSeconds: 900,
        notify: ['ops'],
        renotifySeconds: 3600,
      },
    ]);
    expect(Object.isFrozen(rules.rules[0])).toBe(true);
    expect(Object.isFrozen(rules.rules)).toBe(true);
  });

  it('leaves out a level the rule does not give', () => {
    const [rule] = ruleSet([{ name: 'only-critical', match: 'x', critical: 90 }]).rules;
    expect(rule.thresholds.warning).toBeUndefined();
    expect(rule.thresholds.critical).toMatchObject({ low: 0, high: 90 });
    expect(rule.nodataSeconds).toBeUndefined();
    expect(rule.renotifySeconds).toBeUndefined();
  });

  it('has an offered rule with no thresholds of its own, from alarms.offered', () => {
    const rules = ruleSet([], { for: 120, notify: ['oncall'], renotify: 86400 });
    expect(rules.offeredRule()).toEqual({
      name: OFFERED_RULE,
      match: [],
      thresholds: {},
      forSeconds: 120,
      hysteresis: 0,
      nodataSeconds: undefined,
      notify: ['oncall'],
      renotifySeconds: 86400,
    });
    expect(rules.rules).toEqual([]);
  });

  it('has no offered rule when offered thresholds are disabled', () => {
    expect(ruleSet([], { enabled: false }).offeredRule()).toBeUndefined();
  });

  it('throws for a threshold the section check would have refused', () => {
    expect(() => compileRules(alarmsSettings([{ name: 'bad', match: 'x', warning: '> eighty' }]))).toThrow(
      "alarm rule 'bad', warning: '> eighty' is not a threshold",
    );
  });

  it('throws for a pattern the section check would have refused', () => {
    expect(() => compileRules(alarmsSettings([{ name: 'bad', match: 'host.[0-9]', warning: 1 }]))).toThrow("series pattern 'host.[0-9]'");
  });

  it('compiles the section as loadConfig reads it from a file', () => {
    const { write } = tempConfigDir();
    const path = write(
      [
        'alarms:',
        '  recipients: [{ name: ops, email: [ops@example.com] }]',
        '  offered: { for: 5m, notify: [ops] }',
        '  rules:',
        '    - { name: load, match: "host.*.load", warning: 4, critical: "> 8", for: 10m, nodata: 1h, notify: [ops], renotify: 1d }',
      ].join('\n'),
    );
    const rules = compileRules(loadConfig(path, { env: {} }).alarms);
    const rule = rules.ruleFor('host.web01.load');
    expect(rule).toMatchObject({ name: 'load', forSeconds: 600, nodataSeconds: 3600, renotifySeconds: 86400, notify: ['ops'], hysteresis: 0 });
    expect(rule?.thresholds.warning).toMatchObject({ low: 0, high: 4 });
    expect(rule?.thresholds.critical).toMatchObject({ low: -Infinity, high: 8 });
    expect(rules.offeredRule()).toMatchObject({ forSeconds: 300, notify: ['ops'] });
  });
});
