/**
 * Availability over a window, as SLA reports (Icinga, Zabbix) count it:
 * planned downtime is taken out of the window, and the time not OK inside
 * it is not held against the series; what is left is the share of the rest
 * the series was OK.
 *
 *   availability = 100 × (1 − (not OK outside planned downtime) / (window − planned downtime))
 *
 * A window entirely in planned downtime has no availability (null). Every
 * time is in seconds, each spell [from, to).
 */
import type { PlannedDowntime, Spell, Window } from './period-model.js';

export interface Availability {
  /** Seconds not OK in the window, planned downtime or not. */
  readonly notOkSeconds: number;
  /** Seconds of the window in planned downtime covering the series. */
  readonly plannedSeconds: number;
  /** Of notOkSeconds, those in planned downtime (not held against it). */
  readonly notOkPlannedSeconds: number;
  /** Percent, 0 to 100; null when the whole window was planned downtime. */
  readonly percent: number | null;
  /** The planned downtimes that covered it in the window, by id. */
  readonly downtimes: readonly PlannedDowntime[];
}

const length = (spells: readonly Spell[]): number => spells.reduce((sum, s) => sum + (s.to - s.from), 0);

/** The spells in time order with overlapping and touching ones joined. */
export function union(spells: readonly Spell[]): Spell[] {
  const out: Spell[] = [];
  for (const spell of [...spells].sort((a, b) => a.from - b.from)) {
    const last = out.at(-1);
    if (last !== undefined && spell.from <= last.to) out[out.length - 1] = { from: last.from, to: Math.max(last.to, spell.to) };
    else out.push(spell);
  }
  return out;
}

/** Where two sets of spells, each in time order without overlaps, overlap. */
export function overlap(a: readonly Spell[], b: readonly Spell[]): Spell[] {
  const out: Spell[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const from = Math.max(a[i].from, b[j].from);
    const to = Math.min(a[i].to, b[j].to);
    if (from < to) out.push({ from, to });
    if (a[i].to < b[j].to) i += 1;
    else j += 1;
  }
  return out;
}

/** Clipped to the window; an open end runs to the window's end. */
const clip = (window: Window, spell: { readonly from: number; readonly to: number | null }): Spell => ({ from: Math.max(window.from, spell.from), to: Math.min(window.to, spell.to ?? Infinity) });

export function availabilityOf(series: string, badSpells: readonly Spell[], window: Window, planned: readonly PlannedDowntime[]): Availability {
  const downtimes = planned.filter((d) => d.windows.length > 0 && d.covers(series));
  const plannedSpells = union(downtimes.flatMap((d) => d.windows.map((w) => clip(window, w))).filter((s) => s.from < s.to));
  const bad = union(badSpells.map((s) => clip(window, s)).filter((s) => s.from < s.to));
  const notOkSeconds = length(bad);
  const plannedSeconds = length(plannedSpells);
  const notOkPlannedSeconds = length(overlap(bad, plannedSpells));
  const counted = window.to - window.from - plannedSeconds;
  const percent = counted <= 0 ? null : Math.min(100, Math.max(0, 100 * (1 - (notOkSeconds - notOkPlannedSeconds) / counted)));
  return { notOkSeconds, plannedSeconds, notOkPlannedSeconds, percent, downtimes };
}
