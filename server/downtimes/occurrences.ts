/**
 * A downtime's windows and scope, as pure functions of the stored downtime:
 * the same answers whether they come from the in-memory index or from a
 * database query (cancelled downtimes, which the index does not hold).
 */
import { seriesGlob } from '../config-schema/index.js';
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

/** The window of `d` containing `t`, if any. */
export function windowAt(d: Downtime, recurrence: Recurrence | null, t: number): Occurrence | undefined {
  if (recurrence) return recurrence.at(t);
  return d.start <= t && (d.end === null || t < d.end) ? { start: d.start, end: d.end } : undefined;
}

const globs = new Map<string, RegExp>();

/** The compiled glob, cached: scopes repeat the same few patterns. */
export function globRegex(glob: string): RegExp {
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
  return d.scope.series.some((g) => globRegex(g).test(series));
}
