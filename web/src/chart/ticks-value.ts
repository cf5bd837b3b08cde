/**
 * Where a value axis puts its ticks and how it labels them: steps of 1, 2
 * or 5 times a power of ten in the axis' prefix (bytes in KiB, MiB, GiB…,
 * so a memory axis reads `0.5 GiB`, `1 GiB`, not `537 MB`), durations on
 * clock steps (`30 min`, `1 h`), every label with the unit.
 */
import { formatDuration } from '../format.js';
import { formatUnit, prefixed, unitKind } from '../units.js';
import { TIME_STEPS } from './ticks-time.js';

export interface ValueTicks {
  /** The ticks from the first at or below the lowest value to the first at or above the highest. */
  readonly ticks: readonly number[];
  /** Each tick's label, with the unit. */
  readonly labels: readonly string[];
}

/** 1, 2 or 5 times a power of ten: the smallest at least `rough`. */
export function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  return ([1, 2, 5, 10].find((m) => m * power >= rough * (1 - 1e-9)) ?? 10) * power;
}

/** Ticks at every multiple of `step` covering [min, max]; just the two ends where floating point cannot tell `limit` steps apart. */
function multiples(min: number, max: number, step: number, limit: number): number[] {
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || last - first + 1 > limit) return [min, max];
  // Multiplied, not summed: no drift (0.30000000000000004) along the axis.
  return Array.from({ length: last - first + 1 }, (_, k) => (first + k) * step);
}

/** A tick `scaled` (in the axis' prefix) to as many decimals as the step has. */
function stepNumber(scaled: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: decimals }).format(scaled);
}

/**
 * The ticks of an axis of `unit` over [min, max] with room for about
 * `maxTicks` labels. min < max (chart.js widens a flat range first).
 */
export function valueTicks(min: number, max: number, maxTicks: number, unit: string | undefined): ValueTicks {
  const span = max - min;
  const room = Math.max(2, maxTicks);
  const kind = unitKind(unit);
  if (kind === 'seconds' && span >= 60) {
    const step = TIME_STEPS.find((s) => span / s <= room) ?? niceStep(span / room / 86_400) * 86_400;
    const ticks = multiples(min, max, step, room + 2);
    return { ticks, labels: ticks.map((t) => formatDuration(t)) };
  }
  if (kind === 'seconds' || kind === 'percent') {
    const ticks = multiples(min, max, niceStep(span / room), room + 2);
    return { ticks, labels: ticks.map((t) => formatUnit(t, unit)) };
  }
  // One prefix for the whole axis, the one its largest value takes: labels compare at a glance.
  const base = kind === 'bytes' ? 1024 : 1000;
  const { prefix, power } = prefixed(Math.max(Math.abs(min), Math.abs(max)), base);
  const scale = base ** power;
  const step = niceStep(span / scale / room);
  const ticks = multiples(min / scale, max / scale, step, room + 2).map((t) => t * scale);
  const suffix = `${prefix}${unit ?? ''}`;
  return { ticks, labels: ticks.map((t) => (suffix ? `${stepNumber(t / scale, step)} ${suffix}` : stepNumber(t / scale, step))) };
}
