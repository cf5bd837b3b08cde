import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCollectResult, GarbageResultError } from '../../../slurpers/host/collect-result.js';

const NOW = 1_700_000_000;
const check = (raw: unknown) => checkCollectResult(raw, 'web01', NOW);

describe('checkCollectResult', () => {
  it('prefixes series, fills in the time, keeps kind and thresholds', () => {
    const result = check({
      samples: [
        { series: 'status', value: 200 },
        { series: 'rx', value: 5, time: NOW - 1, kind: 'COUNTER', thresholds: { warning: '10:' } },
        { series: 'gap', value: null },
      ],
      state: { status: 'WARNING', message: 'slow' },
    });
    expect(result).toEqual({
      samples: [
        { series: 'web01.status', value: 200, time: NOW },
        { series: 'web01.rx', value: 5, time: NOW - 1, kind: 'COUNTER', thresholds: { warning: '10:', critical: undefined } },
        { series: 'web01.gap', value: null, time: NOW },
      ],
      state: { status: 'WARNING', message: 'slow' },
    });
  });

  it('keeps the fractional counter kinds DCOUNTER and DDERIVE with fractional values', () => {
    const { samples } = check([
      { series: 'cpu_seconds', value: 12.75, kind: 'DCOUNTER' },
      { series: 'energy_joules', value: -0.5, kind: 'DDERIVE' },
    ]);
    expect(samples.map((s) => [s.series, s.value, s.kind])).toEqual([
      ['web01.cpu_seconds', 12.75, 'DCOUNTER'],
      ['web01.energy_joules', -0.5, 'DDERIVE'],
    ]);
  });

  it('accepts a bare list and an empty one', () => {
    expect(check([]).samples).toEqual([]);
    expect(check([{ series: 'a.b-c_d', value: 0 }]).samples[0].series).toBe('web01.a.b-c_d');
  });

  it.each([
    [undefined, 'result: must be a list of samples or { samples, state }, got undefined'],
    ['ok', 'result: must be a list of samples or { samples, state }, got "ok"'],
    [{ samples: 3 }, 'result: must be a list of samples'],
    [[3], 'samples[0]: must be { series, value }, got 3'],
    [[{ series: 'a b', value: 1 }], 'samples[0].series: must be dotted segments'],
    [[{ series: 'a..b', value: 1 }], 'samples[0].series: must be dotted segments'],
    [[{ series: '.a', value: 1 }], 'samples[0].series: must be dotted segments'],
    [[{ series: 'up', value: 1 }], "samples[0].series: 'up' is written by the host"],
    [[{ series: 'duration_seconds', value: 1 }], 'is written by the host'],
    [[{ series: 'x'.repeat(300), value: 1 }], 'is longer than 255 characters'],
    [[{ series: `a.${'x'.repeat(201)}`, value: 1 }], 'samples[0].series: has a segment of 201 characters; the limit is 200'],
    [[{ series: 'a', value: NaN }], 'samples[0].value: must be a finite number or null, got NaN'],
    [[{ series: 'a', value: Infinity }], 'got Infinity'],
    [[{ series: 'a', value: '5' }], 'got "5"'],
    [[{ series: 'a' }], 'samples[0].value: must be a finite number or null, got undefined'],
    [[{ series: 'a', value: 1, time: -1 }], 'samples[0].time: must be Unix seconds'],
    [[{ series: 'a', value: 1, kind: 'GAUGEY' }], 'samples[0].kind: must be one of GAUGE, COUNTER, DERIVE, ABSOLUTE, DCOUNTER, DDERIVE, got "GAUGEY"'],
    [[{ series: 'a', value: 1, kind: 7 }], 'samples[0].kind: must be one of GAUGE, COUNTER, DERIVE, ABSOLUTE, DCOUNTER, DDERIVE, got 7'],
    [[{ series: 'a', value: 1, thresholds: { warning: 5 } }], 'samples[0].thresholds.warning: must be a string'],
    [[{ series: 'a', value: 1 }, { series: 'a', value: 2 }], "samples[1].series: 'a' appears twice at the same time"],
    [{ samples: [], state: { status: 'BAD', message: '' } }, 'state.status: must be one of OK, WARNING, CRITICAL, UNKNOWN'],
    [{ samples: [], state: { status: 'OK' } }, 'state.message: must be a string'],
  ])('refuses %j', (raw, message) => {
    expect(() => check(raw)).toThrow(GarbageResultError);
    expect(() => check(raw)).toThrow(message);
  });

  it('never lets a non-finite number through, whatever else the sample holds', () => {
    fc.assert(
      fc.property(fc.constantFrom(NaN, Infinity, -Infinity), fc.string(), (value, series) => {
        expect(() => check([{ series: series || 'a', value }])).toThrow(GarbageResultError);
      }),
    );
  });
});
