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

describe('batch codec', () => {
  it('round-trips every batch of storable samples', () => {
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 60 }), fc.nat(16), (samples, pad) => {
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
