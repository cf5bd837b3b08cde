/** muninUnit: a Munin field's unit from its graph's vlabel, its type, period and cdef. */
import { describe, expect, it } from 'vitest';
import { MAX_UNIT_LENGTH } from '../../../../slurpers/contract.js';
import type { MuninField } from '../../../../slurpers/builtin/formats/munin-protocol.js';
import { muninUnit } from '../../../../slurpers/builtin/formats/munin-unit.js';

const gauge: MuninField = { name: 'a', type: 'GAUGE' };
const derive: MuninField = { name: 'a', type: 'DERIVE' };

describe('muninUnit', () => {
  it('maps bytes to B and bits to bit, and keeps other text as it is', () => {
    expect(muninUnit('Bytes', gauge)).toBe('B');
    expect(muninUnit('bits', gauge)).toBe('bit');
    expect(muninUnit('uptime in days', gauge)).toBe('uptime in days');
    expect(muninUnit('%', gauge)).toBe('%');
    expect(muninUnit(undefined, gauge)).toBeUndefined();
    expect(muninUnit('  ', gauge)).toBeUndefined();
  });

  it('reads per ${graph_period} as per second: the archive adds it to a rate kind, a GAUGE carries it', () => {
    expect(muninUnit('bytes per ${graph_period}', derive)).toBe('B');
    expect(muninUnit('requests / ${graph_period}', { name: 'a', type: 'COUNTER' })).toBe('requests');
    expect(muninUnit('requests per ${graph_period}', gauge)).toBe('requests/s');
    expect(muninUnit('requests per ${graph_period}', gauge, 'minute')).toBe('requests/minute');
  });

  it("gives a rate kind whose label has no period no unit: Munin scaled what it draws (the cpu plugin's jiffies as %)", () => {
    expect(muninUnit('%', derive)).toBeUndefined();
  });

  it('gives bytes for bits drawn from a byte counter with cdef x,8,*', () => {
    expect(muninUnit('bits in (-) / out (+) per ${graph_period}', { name: 'down', type: 'DERIVE', cdef: 'down,8,*' })).toBe('B');
    expect(muninUnit('bits in (-) / out (+) per ${graph_period}', { name: 'down', type: 'DERIVE', cdef: 'up,8,*' })).toBe('bit');
  });

  it(`cuts a long label to ${MAX_UNIT_LENGTH} characters, the per-second suffix kept`, () => {
    expect(muninUnit('x'.repeat(80), gauge)).toBe('x'.repeat(MAX_UNIT_LENGTH));
    expect(muninUnit(`${'x'.repeat(80)} per \${graph_period}`, gauge)).toBe(`${'x'.repeat(MAX_UNIT_LENGTH - 2)}/s`);
  });
});
