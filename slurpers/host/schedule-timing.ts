/**
 * When an `every` instance fires: on the multiples of its interval (so that
 * `every: 1m` samples land on whole minutes across restarts), shifted by a
 * jitter that is stable per instance name. A thousand instances with the
 * same interval spread over min(interval, 10 s) instead of firing in the
 * same millisecond, and each keeps the same offset from one run to the next.
 */

/** FNV-1a, 32 bits: a fast, stable hash of the name, as a fraction in [0, 1). */
export function stableFraction(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 2 ** 32;
}

/** The instance's offset within each interval, in ms: hash(name) mod min(interval, maxJitter). */
export function jitterMs(name: string, intervalMs: number, maxJitterMs: number): number {
  return Math.floor(stableFraction(name) * Math.min(intervalMs, maxJitterMs));
}

/**
 * The index of the first slot (`index * interval + jitter`, ms since the
 * epoch) strictly after `nowMs`, and after `previous` when given: a timer
 * that fires a millisecond early must not run the same slot twice.
 */
export function nextSlot(nowMs: number, intervalMs: number, jitter: number, previous?: number): number {
  const next = Math.floor((nowMs - jitter) / intervalMs) + 1;
  return previous === undefined ? next : Math.max(next, previous + 1);
}

export const slotTime = (slot: number, intervalMs: number, jitter: number): number => slot * intervalMs + jitter;
