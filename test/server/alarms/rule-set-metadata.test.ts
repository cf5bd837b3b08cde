/**
 * Rules whose settings come from node metadata: ruleFor(series) answers the
 * rule specialised for the series' node (thresholds, for, nodata, renotify
 * with units, recipients from contacts), defaults for a node without the
 * field or for a series no node claims, and a refused field falls back to
 * the default with a problem reported once. The config accepts the form
 * from a file (durations as text in `default`) and refuses bad references
 * naming the key.
 */
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../../server/alarms/rule-set.js';
import { loadConfig } from '../../../server/config/index.js';
import { ConfigError } from '../../../server/config-schema/index.js';
import { compileNodeKey, metadataSnapshot, readMetadata } from '../../../server/metadata/index.js';
import { tempConfigDir } from '../config/helpers.js';

const metadata = metadataSnapshot(
  readMetadata(
    [
      'b01: { name: Broker one, contacts: [a@x.example, b@x.example], max_hours: 36, reminder_weeks: 2, settle: 90m }',
      'b02: { name: Broker two, contacts: c@x.example, max_hours: "< 5", reminder_weeks: lots }',
      'b03: { owner: nobody }',
    ].join('\n'),
    'yaml',
  ),
  compileNodeKey('broker.*.{node}'),
);

const config = [
  'alarms:',
  '  recipients: [{ name: support, email: [support@x.example] }]',
  '  rules:',
  '    - name: contact',
  '      match: broker.age.*',
  '      critical: { meta: max_hours, default: 24 }',
  '      for: { meta: settle, default: 1m }',
  '      renotify: { meta: reminder_weeks, unit: w, default: 1w }',
  '      nodata: { meta: silent_hours, unit: h, default: 2d }',
  '      notify: [support, { meta: contacts }]',
];

function rules(problems: string[] = []) {
  const { write } = tempConfigDir();
  return compileRules(loadConfig(write(config.join('\n')), { env: {} }).alarms, metadata, (p) => problems.push(p));
}

describe('rules with settings from metadata', () => {
  it("specialises a rule for each node from its fields, with units, and sends to the node's contacts", () => {
    const set = rules();
    const one = set.ruleFor('broker.age.b01');
    expect(one).toMatchObject({ name: 'contact', forSeconds: 5400, renotifySeconds: 2 * 604800, nodataSeconds: 2 * 86400, notify: ['support', 'a@x.example', 'b@x.example'] });
    expect(one?.thresholds.critical).toMatchObject({ low: 0, high: 36 });
    expect(set.displayNameOf('broker.age.b01')).toBe('Broker one');
    // One rule object per node.
    expect(set.ruleFor('broker.age.b01')).toBe(one);
  });

  it('uses the defaults for a node without the field and for a series no node claims', () => {
    const set = rules();
    for (const series of ['broker.age.b03', 'broker.age.b99']) {
      const rule = set.ruleFor(series);
      expect(rule, series).toMatchObject({ forSeconds: 60, renotifySeconds: 604800, nodataSeconds: 172800, notify: ['support'] });
      expect(rule?.thresholds.critical).toMatchObject({ low: 0, high: 24 });
    }
    expect(set.displayNameOf('broker.age.b99')).toBeUndefined();
    // The rules list holds each rule at its defaults.
    expect(set.rules[0]).toMatchObject({ forSeconds: 60, notify: ['support'] });
    expect(set.ruleFor('other.age.b01')).toBeUndefined();
  });

  it('takes a comparison from a field, and falls back to the default for a refused field, reporting it once', () => {
    const problems: string[] = [];
    const set = rules(problems);
    const two = set.ruleFor('broker.age.b02');
    expect(two?.thresholds.critical).toMatchObject({ low: 5, high: Infinity });
    expect(two?.renotifySeconds).toBe(604800);
    set.ruleFor('broker.age.b02');
    expect(problems).toEqual([expect.stringMatching(/^alarm rule 'contact', node 'b02', field 'reminder_weeks': .*'lots' is not a duration.*the default is used$/)]);
  });

  it('refuses a duration below the bound of the setting', () => {
    const problems: string[] = [];
    const set = compileRules(
      {
        rules: [{ name: 'r', match: 'broker.age.*', for: 0, hysteresis: 0, critical: 1, notify: [], renotify: { meta: 'max_hours', unit: 's', default: 3600 } }],
        recipients: [],
        offered: { enabled: false, for: 0, notify: [] },
        groupWait: 1,
        maxPendingTransitions: 10,
      },
      metadata,
      (p) => problems.push(p),
    );
    expect(set.ruleFor('broker.age.b01')?.renotifySeconds).toBe(3600);
    expect(problems[0]).toMatch(/field 'max_hours': 36 s is outside 60 to 31536000 s/);
  });

  it("takes a state set's good values from the node, the default for others", () => {
    const { write } = tempConfigDir();
    const file = write(['alarms:', '  rules:', '    - { name: state, match: broker.state.*, states: { ok: { meta: ok_states, default: [6] }, window: 1m } }'].join('\n'));
    const problems: string[] = [];
    const sites = metadataSnapshot(readMetadata('b01: { ok_states: [5, 6] }\nb02: { ok_states: 4 }\nb03: { ok_states: [a] }\n', 'yaml'), compileNodeKey('broker.*.{node}'));
    const set = compileRules(loadConfig(file, { env: {} }).alarms, sites, (p) => problems.push(p));
    expect(set.ruleFor('broker.state.b01')?.states?.ok).toEqual([5, 6]);
    expect(set.ruleFor('broker.state.b02')?.states?.ok).toEqual([4]);
    expect(set.ruleFor('broker.state.b03')?.states?.ok).toEqual([6]);
    expect(set.ruleFor('broker.state.b99')?.states).toMatchObject({ ok: [6], windowSeconds: 60, require: 'all', level: 'CRITICAL' });
    expect(problems).toEqual([expect.stringMatching(/node 'b03', field 'ok_states': must be a number or a list of 1 to 256 numbers/)]);
  });

  it.each([
    ['      critical: { meta: "max hours" }', /alarms\.rules\[0\]\.critical/],
    ['      renotify: { meta: weeks, unit: fortnight }', /alarms\.rules\[0\]\.renotify/],
    ['      critical: { meta: max_hours, default: "> lots" }', /alarms\.rules\[0\]\.critical: .*lots/],
    ['      notify: [{ meta: contacts, extra: 1 }]', /alarms\.rules\[0\]\.notify\[0\]/],
  ])('refuses %s naming the key', (line, message) => {
    const { write } = tempConfigDir();
    const file = write([...config.slice(0, 5), line].join('\n'));
    expect(() => loadConfig(file, { env: {} })).toThrow(ConfigError);
    expect(() => loadConfig(file, { env: {} })).toThrow(message);
  });
});
