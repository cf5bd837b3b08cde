/**
 * rrdtool definition strings and Graphite retentions: parsing, formatting
 * back, the errors, and agreement with what `rrdtool create` + `rrdtool info`
 * make of the same strings.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  InvalidDefinitionError,
  formatArchiveDefinition,
  formatDataSource,
  formatRra,
  parseArchiveDefinition,
  parseDataSource,
  parseRetentions,
  parseRra,
  scaledDuration,
} from '../../archive/index.js';

function errorOf(action: () => unknown): Error {
  try {
    action();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('scaledDuration', () => {
  it('takes bare counts and suffixed durations divided by the divisor', () => {
    expect(scaledDuration('288', 300)).toBe(288);
    expect(scaledDuration('1d', 300)).toBe(288);
    expect(scaledDuration('1m', 60)).toBe(1);
    expect(scaledDuration('2w', 86400)).toBe(14);
    expect(scaledDuration('1M', 86400)).toBe(31);
    expect(scaledDuration('1y', 86400)).toBe(366);
    expect(scaledDuration('90s', 1)).toBe(90);
  });
  it('reports zero, garbage, fractions and uneven durations', () => {
    expect(scaledDuration('0', 1)).toMatch(/positive/);
    expect(scaledDuration('0h', 1)).toMatch(/positive/);
    expect(scaledDuration('5.5', 1)).toMatch(/trailing garbage/);
    expect(scaledDuration('1x', 1)).toMatch(/trailing garbage/);
    expect(scaledDuration('-5', 1)).toMatch(/positive whole number/);
    expect(scaledDuration('', 1)).toMatch(/positive whole number/);
    expect(scaledDuration('90s', 60)).toMatch(/not a whole multiple of 60/);
  });
  it('reads the one duration grammar of lib/duration.ts: compounds, fractions, ms and unit words', () => {
    expect(scaledDuration('1h30m', 60)).toBe(90);
    expect(scaledDuration('1.5m', 30)).toBe(3);
    expect(scaledDuration('2days', 86400)).toBe(2);
    expect(scaledDuration('1mon', 86400)).toBe(31);
    expect(scaledDuration('500ms', 1)).toMatch(/not a whole multiple of 1 s/);
    expect(scaledDuration('30m1h', 1)).toMatch(/largest to the smallest/);
  });
});

describe('parseDataSource', () => {
  it('parses every supported type, U bounds and duration heartbeats', () => {
    expect(parseDataSource('DS:in:COUNTER:600:0:U')).toEqual({ name: 'in', type: 'COUNTER', heartbeat: 600, min: 0, max: NaN });
    expect(parseDataSource('DS:t:GAUGE:10m:-40:1e3')).toEqual({ name: 't', type: 'GAUGE', heartbeat: 600, min: -40, max: 1000 });
    expect(parseDataSource('DS:x:DDERIVE:1h:U:inf').max).toBe(Infinity);
    for (const type of ['GAUGE', 'COUNTER', 'DERIVE', 'ABSOLUTE', 'DCOUNTER', 'DDERIVE']) {
      expect(parseDataSource(`DS:a:${type}:1:U:U`).type).toBe(type);
    }
  });
  it('formats back to a string that parses to the same definition', () => {
    // The last two need more than JavaScript's shortest text, as rrdtool's decimal parser is not correctly rounded.
    const texts = ['DS:in:COUNTER:600:0:U', 'DS:t:GAUGE:600:-40.5:1000', 'DS:x:DDERIVE:3600:U:inf', 'DS:z:GAUGE:1:0.1:0.30000000000000004'];
    for (const text of [...texts, 'DS:y:ABSOLUTE:1:1e-300:7.7e290', 'DS:w:GAUGE:1:-1.234567890123e-200:5e-310']) {
      const ds = parseDataSource(text);
      expect(parseDataSource(formatDataSource(ds))).toEqual(ds);
    }
    expect(formatDataSource(parseDataSource('DS:t:GAUGE:10m:U:5'))).toBe('DS:t:GAUGE:600:U:5');
  });
  it.each([
    ['DS:a:FOO:600:U:U', "type: 'FOO' is not one of GAUGE"],
    ['DS:a:gauge:600:U:U', "type: 'gauge'"],
    ['DS:a:COMPUTE:x,1,+', 'type: COMPUTE data sources are not supported'],
    ['DS:a:GAUGE:600', 'fields: expected DS:name:TYPE:heartbeat:min:max'],
    ['DS:a:GAUGE:600:U:U:5', "fields: unexpected field '5'"],
    ['DS:a:GAUGE:0:U:U', "heartbeat: '0' must be positive"],
    ['DS:a:GAUGE:5.5:U:U', 'heartbeat:'],
    ['DS:a:GAUGE:600:abc:U', "min: 'abc' is not a number or U"],
    ['DS:a:GAUGE:600:U:', "max: '' is not a number or U"],
    ['DS:a:GAUGE:600:5:5', 'min: 5 must be less than max 5'],
    ['DS:abcdefghijabcdefghij:GAUGE:600:U:U', 'name:'],
    ['DS:a.b:GAUGE:600:U:U', 'name:'],
    ['DS:a=b:GAUGE:600:U:U', 'name=source mappings'],
    ['DX:a:GAUGE:600:U:U', 'DS:'],
  ])('refuses %s naming the field', (text, message) => {
    const e = errorOf(() => parseDataSource(text));
    expect(e).toBeInstanceOf(InvalidDefinitionError);
    expect(e.message).toContain(`'${text}'`);
    expect(e.message).toContain(message);
  });
});

it('accepts a dash in DS names, as rrdtool 1.7 does', () => {
  expect(parseDataSource('DS:rx-bytes:COUNTER:600:0:U').name).toBe('rx-bytes');
});

describe('parseRra', () => {
  it('parses counts and durations against the step', () => {
    expect(parseRra('RRA:AVERAGE:0.5:1:288', 300)).toEqual({ cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 288 });
    expect(parseRra('RRA:AVERAGE:0.5:1m:1d', 60)).toEqual({ cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 1440 });
    expect(parseRra('RRA:MAX:0:1h:1M', 60)).toEqual({ cf: 'MAX', xff: 0, pdpPerRow: 60, rows: 744 });
    expect(parseRra('RRA:LAST:.25:2:1w', 60)).toEqual({ cf: 'LAST', xff: 0.25, pdpPerRow: 2, rows: 5040 });
  });
  it('formats back in counts', () => {
    const rra = parseRra('RRA:MIN:0.99:1h:1y', 300);
    expect(formatRra(rra)).toBe('RRA:MIN:0.99:12:8784');
    expect(parseRra(formatRra(rra), 7)).toEqual(rra);
  });
  it.each([
    ['RRA:FOO:0.5:1:10', "cf: 'FOO' is not one of AVERAGE, MIN, MAX, LAST"],
    ['RRA:HWPREDICT:1440:0.1:0.0035:288', 'cf: HWPREDICT (Holt-Winters forecasting) is not supported'],
    ['RRA:AVERAGE:1:1:10', "xff: '1' must be a number >= 0 and < 1"],
    ['RRA:AVERAGE:nan:1:10', 'xff:'],
    ['RRA:AVERAGE:0.5:1m', 'fields: expected RRA:CF:xff:steps:rows'],
    ['RRA:LAST:0.5:1:10:5', "fields: unexpected field '5'"],
    ['RRA:AVERAGE:0.5:0:10', "steps: '0' must be positive"],
    ['RRA:AVERAGE:0.5:90s:1d', 'steps: '],
    ['RRA:AVERAGE:0.5:1:10s', 'rows: '],
    ['RRA:AVERAGE:0.5:1:0x10', "rows: '0x10' has trailing garbage"],
  ])('refuses %s naming the field', (text, message) => {
    const e = errorOf(() => parseRra(text, 60));
    expect(e).toBeInstanceOf(InvalidDefinitionError);
    expect(e.message).toContain(`'${text}'`);
    expect(e.message).toContain(message);
  });
});

describe('parseArchiveDefinition', () => {
  it('takes DS and RRA strings in any order and formats them back', () => {
    const specs = ['RRA:AVERAGE:0.5:1:10', 'DS:a:GAUGE:600:U:U', 'RRA:MAX:0.5:6:10', 'DS:b:COUNTER:600:0:U'];
    const def = parseArchiveDefinition(300, specs);
    expect(def.dataSources.map((d) => d.name)).toEqual(['a', 'b']);
    expect(formatArchiveDefinition(def)).toEqual(['DS:a:GAUGE:600:U:U', 'DS:b:COUNTER:600:0:U', 'RRA:AVERAGE:0.5:1:10', 'RRA:MAX:0.5:6:10']);
  });
  it('refuses other strings, duplicates and missing parts', () => {
    expect(errorOf(() => parseArchiveDefinition(300, ['DS:a:GAUGE:1:U:U', 'RRA:LAST:0:1:1', 'XYZ'])).message).toContain("'XYZ'");
    expect(errorOf(() => parseArchiveDefinition(300, ['DS:a:GAUGE:1:U:U', 'DS:a:GAUGE:1:U:U', 'RRA:LAST:0:1:1'])).message).toContain('duplicate');
    expect(errorOf(() => parseArchiveDefinition(300, ['DS:a:GAUGE:1:U:U']))).toBeInstanceOf(InvalidDefinitionError);
  });
});

describe('parseRetentions', () => {
  it('makes one RRA per CF and retention', () => {
    expect(parseRetentions('10s:1d,1m:30d,1h:5y', { step: 10, cfs: ['AVERAGE', 'MAX'] })).toEqual([
      { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 8640 },
      { cf: 'MAX', xff: 0.5, pdpPerRow: 1, rows: 8640 },
      { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 6, rows: 43200 },
      { cf: 'MAX', xff: 0.5, pdpPerRow: 6, rows: 43200 },
      { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 360, rows: 43800 },
      { cf: 'MAX', xff: 0.5, pdpPerRow: 360, rows: 43800 },
    ]);
  });
  it("accepts whisper's bare seconds, point counts, unit prefixes and blanks; rounds rows down", () => {
    expect(parseRetentions('60:1440, 5min:7days', { step: 60, cfs: ['LAST'], xff: 0 })).toEqual([
      { cf: 'LAST', xff: 0, pdpPerRow: 1, rows: 1440 },
      { cf: 'LAST', xff: 0, pdpPerRow: 5, rows: 2016 },
    ]);
    expect(parseRetentions('7s:1m', { step: 7, cfs: ['AVERAGE'] })[0].rows).toBe(8);
  });
  it.each([
    ['15s:1d', 'retention 0 precision: 15 s is not a multiple of the step 10 s'],
    ['10s:1d,1q:1d', "retention 1 precision: unknown unit 'q'"],
    ['10s', "retention 0: '10s' must be precision:duration"],
    ['1m:30s', "retention 0 duration: '30s' is shorter than one 60 s point"],
    ['0:10', "retention 0 precision: '0' must be positive"],
    ['10s:-1d', 'retention 0 duration:'],
  ])('refuses %s', (text, message) => {
    const e = errorOf(() => parseRetentions(text, { step: 10, cfs: ['AVERAGE'] }));
    expect(e).toBeInstanceOf(InvalidDefinitionError);
    expect(e.message).toContain(`'${text}'`);
    expect(e.message).toContain(message);
  });
});

const hasRrdtool = existsSync('/usr/bin/rrdtool');

describe.skipIf(!hasRrdtool)('agreement with rrdtool create + info', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-defsyntax-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function rrdtoolInfo(step: string, specs: readonly string[]): Map<string, string> {
    const path = join(dir, `t${Math.random().toString(36).slice(2)}.rrd`);
    execFileSync('rrdtool', ['create', path, '--step', step, ...specs], { stdio: 'pipe' });
    const info = new Map<string, string>();
    for (const line of execFileSync('rrdtool', ['info', path], { encoding: 'utf8' }).split('\n')) {
      const m = /^(\S+) = "?([^"]*)"?$/.exec(line);
      if (m) info.set(m[1], m[2]);
    }
    return info;
  }

  function rrdNumber(text: string | undefined): number {
    if (text === 'NaN') return NaN;
    if (text === 'inf') return Infinity;
    if (text === '-inf') return -Infinity;
    return Number(text);
  }

  /** rrdtool info prints 11 significant digits. */
  function expectSameBound(fromRrdtool: number, ours: number): void {
    if (Number.isNaN(ours) || !Number.isFinite(ours)) expect(fromRrdtool).toBe(ours);
    else expect(Math.abs(fromRrdtool - ours)).toBeLessThanOrEqual(Math.abs(ours) * 1e-10);
  }

  it.each([
    ['300', ['DS:in:COUNTER:600:0:U', 'DS:t:GAUGE:10m:-40:1e3', 'RRA:AVERAGE:0.5:1:288', 'RRA:MAX:0:1h:1M']],
    ['60', ['DS:a:DDERIVE:1h:U:inf', 'RRA:AVERAGE:0.5:1m:1d', 'RRA:MIN:0.99:2:1w', 'RRA:LAST:.25:1d:1y']],
    ['1', ['DS:x:ABSOLUTE:90s:1e-3:5e9', 'DS:y:DCOUNTER:1:0:U', 'DS:z:DERIVE:2w:-5:5', 'RRA:AVERAGE:0:90s:10', 'RRA:MAX:0.5:3:2h']],
  ])('step %s: %j', (stepText, specs) => {
    const step = Number(stepText);
    const def = parseArchiveDefinition(step, specs);
    const info = rrdtoolInfo(stepText, specs);
    expect(Number(info.get('step'))).toBe(def.step);
    for (const ds of def.dataSources) {
      expect(info.get(`ds[${ds.name}].type`)).toBe(ds.type);
      expect(Number(info.get(`ds[${ds.name}].minimal_heartbeat`))).toBe(ds.heartbeat);
      expectSameBound(rrdNumber(info.get(`ds[${ds.name}].min`)), ds.min);
      expectSameBound(rrdNumber(info.get(`ds[${ds.name}].max`)), ds.max);
    }
    def.rras.forEach((rra, r) => {
      expect(info.get(`rra[${r}].cf`)).toBe(rra.cf);
      expect(Number(info.get(`rra[${r}].rows`))).toBe(rra.rows);
      expect(Number(info.get(`rra[${r}].pdp_per_row`))).toBe(rra.pdpPerRow);
      expect(Number(info.get(`rra[${r}].xff`))).toBe(rra.xff);
    });
  });

  it.each([
    ['DS:a:GAUGE:600', 'RRA:AVERAGE:0.5:1:10'],
    ['DS:a:GAUGE:0:U:U', 'RRA:AVERAGE:0.5:1:10'],
    ['DS:a:FOO:600:U:U', 'RRA:AVERAGE:0.5:1:10'],
    ['DS:a:GAUGE:600:5:5', 'RRA:AVERAGE:0.5:1:10'],
    ['DS:a:GAUGE:600:U:U', 'RRA:AVERAGE:1:1:10'],
    ['DS:a:GAUGE:600:U:U', 'RRA:AVERAGE:0.5:90s:1d'],
    ['DS:a:GAUGE:600:U:U', 'RRA:AVERAGE:0.5:1:10s'],
    ['DS:a:GAUGE:600:U:U', 'RRA:FOO:0.5:1:10'],
  ])('refuses %s %s as rrdtool does', (ds, rra) => {
    expect(() => parseArchiveDefinition(60, [ds, rra])).toThrow(InvalidDefinitionError);
    expect(() => rrdtoolInfo('60', [ds, rra])).toThrow();
  });
});
