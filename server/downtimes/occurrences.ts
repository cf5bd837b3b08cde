/**
 * A downtime's windows and scope, as pure functions of the stored downtime:
 * the same answers whether they come from the in-memory index or from a
 * database query (cancelled downtimes, which the index does not hold).
 */
import { seriesGlob, type SeriesMatcher } from '../config-schema/index.js';
import type { Downtime, Occurrence } from './model.js';
import { Recurrence } from './recurrence.js';

/** The rule of a stored downtime, compiled; null for a one-off. Throws for a rule that no longer compiles (a corrupt row). */
export function compileRecurrence(d: Downtime): Recurrence | null {
  if (d.rrule === null || d.end === null) return null;
  const compiled = Recurrence.compile(d.rrule, d.timezone, d.start, d.end);
  if (Array.isArray(compiled)) throw new Error(`downtime ${d.id}: stored rule does not compile: ${compiled.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  return compiled;
}

/** The windows of `d` that overlap [from, to); windows are [start, end), so one ending at `from` does not. */
export function windowsTouching(d: Downtime, recurrence: Recurrence | null, from: number, to: number): Occurrence[] {
  if (recurrence) return recurrence.windows(from, to);
  return d.start < to && (d.end === null || d.end > from) ? [{ start: d.start, end: d.end }] : [];
}

/** A range expanded a piece at a time: a year of a periodic rule takes a few milliseconds at most. */
const PIECE = 366 * 86_400;

/**
 * The windows of `d` overlapping [from, to), at most `limit` of them (more
 * are not looked for: the caller tells by the length). A periodic rule is
 * expanded a year at a time with a turn of the event loop between, so a
 * long range never holds the loop for long.
 */
export async function windowsPaced(d: Downtime, recurrence: Recurrence | null, from: number, to: number, limit: number): Promise<Occurrence[]> {
  if (!recurrence || !recurrence.periodic || to - from <= PIECE) {
    return recurrence ? recurrence.between(from, to, limit) : windowsTouching(d, null, from, to).slice(0, limit);
  }
  const out: Occurrence[] = [];
  for (let at = from; at < to && out.length < limit; at += PIECE) {
    if (at > from) await new Promise((resolve) => setImmediate(resolve));
    // A window across the boundary came with the piece before.
    for (const w of recurrence.between(at, Math.min(at + PIECE, to), limit - out.length + 1)) if (at === from || w.start >= at) out.push(w);
  }
  return out.slice(0, limit);
}

/** The window of `d` containing `t`, if any. */
export function windowAt(d: Downtime, recurrence: Recurrence | null, t: number): Occurrence | undefined {
  if (recurrence) return recurrence.at(t);
  return d.start <= t && (d.end === null || t < d.end) ? { start: d.start, end: d.end } : undefined;
}

const globs = new Map<string, SeriesMatcher>();

/** The compiled glob, cached: scopes repeat the same few patterns. */
export function globMatcher(glob: string): SeriesMatcher {
  let re = globs.get(glob);
  if (!re) {
    if (globs.size > 10_000) globs.clear();
    re = seriesGlob(glob);
    globs.set(glob, re);
  }
  return re;
}

/** Whether `d` covers `series` (from `agent`, when the caller knows it). */
export function scopeCovers(d: Downtime, series: string, agent?: string): boolean {
  if (agent !== undefined && d.scope.agents.includes(agent)) return true;
  return d.scope.series.some((g) => globMatcher(g).test(series));
}
