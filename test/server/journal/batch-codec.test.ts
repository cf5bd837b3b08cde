/**
 * The batch encoding: any batch of storable samples decodes to exactly
 * itself (names in any script, unknown values, -0, NaN, fractional and
 * negative times), and no bytes at all make the decoder throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBatch, encodeBatch, skipBatch } from '../../../server/journal/batch-codec.js';

const sample = fc.record({
  series: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  time: fc.double({ noDefaultInfinity: true, noNaN: true }),
  value: fc.option(fc.double(), { nil: null }),
});
/** A sample with a declared interval (segment format 2), or without one: absent, not undefined. */
const sampleWithInterval = fc
  .tuple(sample, fc.option(fc.double({ min: 1e-3, max: 1e9, noNaN: true }), { nil: undefined }))
  .map(([s, interval]) => (interval === undefined ? s : { ...s, interval }));

describe('batch codec', () => {
  it('round-trips every batch of storable samples', () => {
    fc.assert(
      fc.property(fc.array(sampleWithInterval, { maxLength: 60 }), fc.nat(16), (samples, pad) => {
        const bytes = encodeBatch(samples);
        // Decoding works at any offset inside a larger buffer, as batches sit inside records.
        const framed = Buffer.concat([Buffer.alloc(pad, 7), bytes, Buffer.alloc(3, 9)]);
        const decoded = decodeBatch(framed, pad, pad + bytes.length);
        expect(decoded).toEqual({ samples, end: pad + bytes.length });
        expect(skipBatch(framed, pad, pad + bytes.length)).toBe(pad + bytes.length);
      }),
      { numRuns: 300 },
    );
  });

  it('writes a sample without an interval exactly as format 1 did, and one with it 8 bytes longer', () => {
    const plain = encodeBatch([{ series: 'a.b', time: 1_700_000_000, value: 1 }]);
    expect(plain.length).toBe(8 + 19 + 3);
    expect(plain[8 + 2]).toBe(0);
    const declared = encodeBatch([{ series: 'a.b', time: 1_700_000_000, value: null, interval: 30 }]);
    expect(declared.length).toBe(8 + 19 + 3 + 8);
    expect(declared[8 + 2]).toBe(3);
    expect(decodeBatch(declared, 0, declared.length)).toEqual({ samples: [{ series: 'a.b', time: 1_700_000_000, value: null, interval: 30 }], end: declared.length });
  });

  it('refuses an interval that is not a positive number of seconds, naming the sample', () => {
    for (const interval of [0, -1, NaN, Infinity]) {
      expect(() => encodeBatch([{ series: 'a', time: 1, value: 1 }, { series: 'b', time: 1, value: 1, interval }])).toThrow('sample 1: interval of b must be a positive number of seconds');
    }
  });

  it('keeps a batch larger than its scratch buffer intact', () => {
    const samples = Array.from({ length: 30_000 }, (_, i) => ({ series: `s${i}`.repeat(50), time: i, value: i }));
    expect(decodeBatch(encodeBatch(samples), 0, Infinity)).toMatchObject({ samples });
  });

  it('answers any bytes with samples or a description, never an exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(300), (raw, limit) => {
        const bytes = Buffer.from(raw);
        const end = Math.min(limit, bytes.length);
        expect(() => decodeBatch(bytes, 0, end)).not.toThrow();
        expect(() => skipBatch(bytes, 0, end)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});
