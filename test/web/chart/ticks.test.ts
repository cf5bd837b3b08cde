/** Tick placement (web/src/chart/ticks-*.ts): clock steps on round times in the shown zone, value steps of 1/2/5 in the axis' prefix with the unit. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TIME_STEPS, stepSeconds, timeStep, timeTicks } from '../../../web/src/chart/ticks-time.js';
import { niceStep, valueTicks } from '../../../web/src/chart/ticks-value.js';

const T0 = Date.UTC(2026, 11, 7, 7, 3, 11, 400);
const utc = () => 0;

describe('time ticks', () => {
  it('fall on round clock steps when zoomed to a minute (no 7:03:20, 7:03:43)', () => {
    const step = timeStep(60, 12);
    expect(step).toEqual({ seconds: 5 });
    const ticks = timeTicks(T0, T0 + 60_000, step, utc);
    expect(ticks.map((t) => new Date(t).toISOString().slice(11, 19))).toEqual(['07:03:15', '07:03:20', '07:03:25', '07:03:30', '07:03:35', '07:03:40', '07:03:45', '07:03:50', '07:03:55', '07:04:00', '07:04:05', '07:04:10']);
  });

  it('pick the smallest step of the ladder that leaves room for the labels', () => {
    expect([timeStep(3600, 14), timeStep(6 * 3600, 14), timeStep(86_400, 14), timeStep(7 * 86_400, 14), timeStep(366 * 86_400, 14)]).toEqual([
      { seconds: 300 },
      { seconds: 1800 },
      { seconds: 7200 },
      { seconds: 43_200 },
      { months: 1 },
    ]);
  });

  it('put hours and midnights on the wall clock of the shown zone', () => {
    const cet = () => 60;
    const ticks = timeTicks(Date.UTC(2026, 11, 6, 20), Date.UTC(2026, 11, 8, 20), { seconds: 86_400 }, cet);
    // Midnight in CET is 23:00 UTC.
    expect(ticks.map((t) => new Date(t).toISOString())).toEqual(['2026-12-06T23:00:00.000Z', '2026-12-07T23:00:00.000Z']);
  });

  it('put months on the 1st', () => {
    const ticks = timeTicks(Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 2), { months: 2 }, utc);
    expect(ticks.map((t) => new Date(t).toISOString().slice(0, 10))).toEqual(['2026-03-01', '2026-05-01', '2026-07-01']);
  });

  it('are whole multiples of their step, inside the range, and no more than asked for', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2e12 }), fc.integer({ min: 10_000, max: 30 * 86_400_000 }), fc.integer({ min: 3, max: 20 }), (start, span, room) => {
        const step = timeStep(span / 1000, room);
        const ticks = timeTicks(start, start + span, step, utc);
        expect(ticks.length).toBeLessThanOrEqual(room + 1);
        for (const t of ticks) {
          expect(t).toBeGreaterThanOrEqual(start);
          expect(t).toBeLessThanOrEqual(start + span);
          expect(t % (stepSeconds(step) * 1000)).toBe(0);
        }
        expect(TIME_STEPS).toContain(stepSeconds(step));
      }),
    );
  });
});

describe('value ticks', () => {
  it('step 1, 2 or 5 times a power of ten', () => {
    expect([0.13, 0.3, 0.7, 3, 42, 120].map(niceStep)).toEqual([0.2, 0.5, 1, 5, 50, 200]);
  });

  it('label a byte axis in one IEC prefix, on round steps of it', () => {
    const { ticks, labels } = valueTicks(0, 1.6 * 2 ** 30, 5, 'B');
    expect(labels).toEqual(['0 GiB', '0.5 GiB', '1 GiB', '1.5 GiB', '2 GiB']);
    expect(ticks[2]).toBe(2 ** 30);
  });

  it('label percent, rates and plain numbers with the unit', () => {
    expect(valueTicks(0, 97, 6, '%').labels).toEqual(['0%', '20%', '40%', '60%', '80%', '100%']);
    expect(valueTicks(0, 25_000, 6, 'bit/s').labels).toEqual(['0 kbit/s', '5 kbit/s', '10 kbit/s', '15 kbit/s', '20 kbit/s', '25 kbit/s']);
    expect(valueTicks(3.9, 4.6, 8, undefined).labels).toEqual(['3.9', '4', '4.1', '4.2', '4.3', '4.4', '4.5', '4.6']);
  });

  it('label durations on clock steps', () => {
    expect(valueTicks(0, 7000, 5, 's').labels).toEqual(['0 s', '30 min', '1 h', '1.5 h', '2 h']);
  });

  it('cover the range and keep within the room asked for', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), fc.double({ min: 1e-3, max: 1e12, noNaN: true }), fc.integer({ min: 2, max: 15 }), fc.constantFrom(undefined, 'B', '%', 's', 'bit/s'), (min, span, room, unit) => {
        const { ticks, labels } = valueTicks(min, min + span, room, unit);
        const slack = Math.max(Math.abs(min), span) * 1e-9;
        expect(ticks[0]).toBeLessThanOrEqual(min + slack);
        expect(ticks.at(-1)).toBeGreaterThanOrEqual(min + span - slack);
        expect(ticks.length).toBeLessThanOrEqual(room + 2);
        expect(labels.every((l) => !/e[+-]?\d/.test(l))).toBe(true);
      }),
    );
  });
});
