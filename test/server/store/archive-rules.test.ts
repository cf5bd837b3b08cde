/**
 * Archive rules: which rule a series gets (first match wins, else the
 * default), the definitions they give, and the errors of bad rules.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatArchiveDefinition, type ArchiveDefinition } from '../../../archive/index.js';
import { ConfigError } from '../../../server/config-schema/index.js';
import { loadConfig, type ServerConfig } from '../../../server/config/index.js';
import { definitionForSeries, SERIES_DS_NAME } from '../../../server/store/archive-rules.js';
import { configErrorOf, problemsOf, tempConfigDir } from '../config/helpers.js';

const files = tempConfigDir();
const EXAMPLE = resolve(import.meta.dirname, '../../../docs/examples/ringmon.yaml');

function rulesConfig(yamlRules: string): ServerConfig {
  return loadConfig(files.write(`archives:\n  rules:\n${yamlRules}`), { env: {} });
}

/** The definition as rrdtool create arguments, easy to read in a failure. */
const args = (definition: ArchiveDefinition): string[] => formatArchiveDefinition(definition);

describe('the built-in archive (issue 13: a template at the series step, no longer a fixed 10 s step and 1.75 MB)', () => {
  it('is the template docs/configuration.md documents, at the step it is given', () => {
    const config = loadConfig(undefined, { env: {} });
    const ten = definitionForSeries(config, 'host.web01.cpu.user', undefined, 10);
    expect(ten.step).toBe(10);
    expect(ten.dataSources).toEqual([{ name: 'value', type: 'GAUGE', heartbeat: 30, min: NaN, max: NaN }]);
    expect(ten.rras.map(({ cf, pdpPerRow, rows, xff }) => [cf, pdpPerRow, rows, xff])).toEqual([
      ['AVERAGE', 1, 8640, 0.5],
      ['AVERAGE', 180, 1440, 0.5],
      ['MIN', 180, 1440, 0.5],
      ['MAX', 180, 1440, 0.5],
      ['AVERAGE', 2160, 1460, 0.5],
      ['MIN', 2160, 1460, 0.5],
      ['MAX', 2160, 1460, 0.5],
      ['AVERAGE', 8640, 3650, 0.5],
      ['MIN', 8640, 3650, 0.5],
      ['MAX', 8640, 3650, 0.5],
    ]);
    // An hourly step: the month's 30-minute points would be the step itself, folded into 30 days of hourly points.
    expect(args(definitionForSeries(config, 'x', 'COUNTER', 3600))).toEqual([
      'DS:value:COUNTER:10800:U:U',
      'RRA:AVERAGE:0.5:1:720',
      'RRA:AVERAGE:0.5:6:1460',
      'RRA:MIN:0.5:6:1460',
      'RRA:MAX:0.5:6:1460',
      'RRA:AVERAGE:0.5:24:3650',
      'RRA:MIN:0.5:24:3650',
      'RRA:MAX:0.5:24:3650',
    ]);
    // Daily: ten years of daily points, nothing else.
    expect(args(definitionForSeries(config, 'x', undefined, 86400))).toEqual(['DS:value:GAUGE:259200:U:U', 'RRA:AVERAGE:0.5:1:3650']);
    // Nothing known of the cadence: one minute.
    expect(definitionForSeries(config, 'x').step).toBe(60);
    expect(SERIES_DS_NAME).toBe('value');
  });

  it('has a heartbeat of three steps, at least 30 s', () => {
    const config = loadConfig(undefined, { env: {} });
    const heartbeat = (step: number): number => definitionForSeries(config, 'x', undefined, step).dataSources[0].heartbeat;
    expect([1, 5, 10, 15, 30, 60, 300, 86400].map(heartbeat)).toEqual([30, 30, 30, 45, 90, 180, 900, 259200]);
  });

  it('can be replaced as a whole by archives.default', () => {
    const config = loadConfig(files.write('archives:\n  default:\n    step: 1m\n    rras: [RRA:LAST:0:1:1w]\n'), { env: {} });
    expect(args(definitionForSeries(config, 'anything'))).toEqual(['DS:value:GAUGE:120:U:U', 'RRA:LAST:0:1:10080']);
  });
});

describe('rule matching', () => {
  const config = rulesConfig(
    [
      '    - match: host.web01.cpu.user',
      '      step: 1',
      '      rras: [RRA:AVERAGE:0.5:1:1]',
      '    - match: host.*.cpu.*',
      '      step: 2',
      '      rras: [RRA:AVERAGE:0.5:1:1]',
      '    - match: host.**',
      '      step: 3',
      '      rras: [RRA:AVERAGE:0.5:1:1]',
      '    - match: "**.latency"',
      '      step: 4',
      '      rras: [RRA:AVERAGE:0.5:1:1]',
      '',
    ].join('\n'),
  );
  const stepFor = (name: string): number => definitionForSeries(config, name).step;

  it('takes the first rule that matches, in file order', () => {
    expect(stepFor('host.web01.cpu.user')).toBe(1);
    expect(stepFor('host.web02.cpu.user')).toBe(2);
    expect(stepFor('host.web02.cpu.system')).toBe(2);
    expect(stepFor('host.web02.disk.sda.latency')).toBe(3);
    expect(stepFor('app.checkout.latency')).toBe(4);
  });

  it('falls back to the built-in template at the step given, which no rule sees', () => {
    expect(stepFor('host')).toBe(60);
    expect(definitionForSeries(config, 'latency', undefined, 300).step).toBe(300);
    expect(definitionForSeries(config, 'host.web01.cpu.user', undefined, 300).step).toBe(1);
    expect(stepFor('Host.web01.cpu.user')).toBe(60);
  });

  it('lets a configured archives.default win over the step too', () => {
    const withDefault = loadConfig(files.write('archives:\n  default:\n    step: 1m\n    rras: [RRA:LAST:0:1:1w]\n'), { env: {} });
    expect(definitionForSeries(withDefault, 'x', undefined, 1).step).toBe(60);
  });

  it('gives the example file rules their documented definitions', () => {
    const example = loadConfig(EXAMPLE, { env: {} });
    expect(args(definitionForSeries(example, 'host.web01.net.eth0.rx'))).toEqual([
      'DS:value:DERIVE:600:0:U',
      'RRA:AVERAGE:0.5:1:576',
      'RRA:AVERAGE:0.5:6:672',
      'RRA:MAX:0.5:6:672',
      'RRA:AVERAGE:0.5:288:732',
    ]);
    const latency = definitionForSeries(example, 'app.shop.checkout.latency');
    expect(latency.step).toBe(10);
    expect(args(latency)).toEqual([
      'DS:value:GAUGE:20:U:U',
      'RRA:AVERAGE:0.3:1:2160',
      'RRA:MAX:0.3:1:2160',
      'RRA:AVERAGE:0.3:6:10080',
      'RRA:MAX:0.3:6:10080',
      'RRA:AVERAGE:0.3:60:52560',
      'RRA:MAX:0.3:60:52560',
    ]);
    const backup = definitionForSeries(example, 'backup.db01.bytes');
    expect(backup.step).toBe(3600);
    expect(args(backup)).toEqual(['DS:value:GAUGE:172800:U:U', 'RRA:LAST:0.5:1:2160', 'RRA:LAST:0.5:24:1825']);
    expect(definitionForSeries(example, 'backup.db01.files', undefined, 10).step).toBe(10);
  });
});

describe('rule defaults', () => {
  it('with retentions, the step is the first precision and the heartbeat two steps; cfs AVERAGE, xff 0.5', () => {
    const config = rulesConfig('    - match: a\n      retentions: 1m:1d,1h:30d\n');
    const definition = definitionForSeries(config, 'a');
    expect(definition.step).toBe(60);
    expect(args(definition)).toEqual(['DS:value:GAUGE:120:U:U', 'RRA:AVERAGE:0.5:1:1440', 'RRA:AVERAGE:0.5:60:720']);
  });

  it('type, min and max are passed to the data source', () => {
    const config = rulesConfig('    - match: a\n      step: 1m\n      type: COUNTER\n      min: 0\n      max: 1e9\n      rras: [RRA:MAX:0.5:1:1d]\n');
    expect(args(definitionForSeries(config, 'a'))).toEqual(['DS:value:COUNTER:120:0:1000000000', 'RRA:MAX:0.5:1:1440']);
  });
});

describe('bad rules are errors at load, naming the key', () => {
  /** A config whose second rule (index 1) has `body`, after a good first rule. */
  const rule = (body: string, match = 'x'): string =>
    files.write(`archives:\n  rules:\n    - match: ok\n      retentions: 10s:1d\n    - match: ${match}\n${body}`);

  it('a bad RRA string, by its index', () => {
    expect(problemsOf(rule('      step: 10\n      rras: [RRA:AVERAGE:0.5:1:1d, RRA:AVERAGE:0.5:7s:1d]\n'))).toEqual([
      { key: 'archives.rules[1].rras[1]', message: "'RRA:AVERAGE:0.5:7s:1d': steps: '7s' (7 s) is not a whole multiple of 10 s" },
    ]);
  });

  it('a bad retention', () => {
    expect(problemsOf(rule('      retentions: 10s:1d,15s:2d\n'))).toEqual([
      { key: 'archives.rules[1].retentions', message: "'10s:1d,15s:2d': retention 1 precision: 15 s is not a multiple of the step 10 s" },
    ]);
    expect(problemsOf(rule('      retentions: 10s\n'))).toEqual([
      { key: 'archives.rules[1].retentions', message: "'10s': retention 0: '10s' must be precision:duration" },
    ]);
  });

  it('a bad pattern', () => {
    expect(problemsOf(rule('      retentions: 10s:1d\n', '"host.[ab].cpu"'))).toEqual([
      {
        key: 'archives.rules[1].match',
        message: "'[' is not allowed in a pattern; use A-Z a-z 0-9 _ - in dotted segments, * within a segment and ** for whole segments",
      },
    ]);
    expect(problemsOf(rule('      retentions: 10s:1d\n', 'host**'))).toEqual([
      { key: 'archives.rules[1].match', message: "'host**': ** must be a whole segment, as in host.**.cpu" },
    ]);
  });

  it('neither or both of rras and retentions; cfs or xff with rras; rras without a step', () => {
    expect(problemsOf(rule('      step: 10\n'))).toEqual([
      { key: 'archives.rules[1]', message: 'needs rras (rrdtool RRA strings) or retentions (Graphite retentions)' },
    ]);
    expect(problemsOf(rule('      step: 10\n      rras: [RRA:AVERAGE:0.5:1:1]\n      retentions: 10s:1d\n'))).toEqual([
      { key: 'archives.rules[1]', message: 'has both rras and retentions; give one of them' },
    ]);
    expect(problemsOf(rule('      step: 10\n      rras: [RRA:AVERAGE:0.5:1:1]\n      cfs: [MAX]\n      xff: 0.1\n'))).toEqual([
      { key: 'archives.rules[1].cfs', message: 'applies only with retentions; each RRA string carries its own CF and xff' },
      { key: 'archives.rules[1].xff', message: 'applies only with retentions; each RRA string carries its own CF and xff' },
    ]);
    expect(problemsOf(rule('      rras: [RRA:AVERAGE:0.5:1:1]\n'))).toEqual([
      { key: 'archives.rules[1].step', message: 'is required with rras, whose steps and rows count steps' },
    ]);
  });

  it('min not below max, a bad CF, a definition the archive cannot store', () => {
    expect(problemsOf(rule('      retentions: 10s:1d\n      min: 5\n      max: 5\n'))).toEqual([
      { key: 'archives.rules[1].min', message: '5 must be less than max 5' },
    ]);
    expect(problemsOf(rule('      retentions: 10s:1d\n      cfs: [AVERAGE, MEDIAN]\n'))).toEqual([
      { key: 'archives.rules[1].cfs[1]', message: 'must be one of AVERAGE, MIN, MAX, LAST, got "MEDIAN"' },
    ]);
    expect(problemsOf(rule('      step: 1\n      rras: [RRA:AVERAGE:0.5:1:5000000000]\n'))).toEqual([
      { key: 'archives.rules[1]', message: 'rras[0].rows: must be a whole number >= 1, got 5000000000' },
    ]);
  });

  it('in archives.default too', () => {
    expect(problemsOf(files.write('archives:\n  default:\n    retentions: 10s:1x\n'))).toEqual([
      { key: 'archives.default.retentions', message: "'10s:1x': retention 0 duration: unknown unit 'x' in '1x'" },
    ]);
  });
});

describe('definitionForSeries on a config loadConfig did not check', () => {
  it('throws a ConfigError naming the rule', () => {
    const loaded = loadConfig(undefined, { env: {} });
    const handMade: Pick<ServerConfig, 'archives'> = {
      archives: { ...loaded.archives, rules: [{ match: 'a', type: 'GAUGE', step: 10, rras: ['RRA:AVG:0.5:1:1'] }] },
    };
    const error = configErrorOf(() => definitionForSeries(handMade, 'a'));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems).toEqual([{ key: 'archives.rules[0].rras[0]', message: "'RRA:AVG:0.5:1:1': cf: 'AVG' is not one of AVERAGE, MIN, MAX, LAST" }]);
  });
});
