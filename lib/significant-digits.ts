/**
 * Rounding a value to a fixed number of significant digits, for answers
 * people and charts read: an archive's arithmetic (averages, rates) leaves
 * float noise such as 0.34900000000000003 that no sensor measured. Rounding
 * to d digits changes a value by at most half a unit of its d-th digit
 * (a relative 5 × 10^-d), and gives the shortest text that says it.
 *
 * Pure: imports nothing.
 */

/** `value` rounded to `digits` (1..17) significant digits; non-finite values are returned as they are. */
export function roundSignificant(value: number, digits: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}
