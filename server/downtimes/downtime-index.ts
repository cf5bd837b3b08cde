/**
 * The downtimes in memory, for the two questions asked often:
 *
 *   activePlannedDowntime(series, t)  the alarm evaluator, for every series
 *                                     at every evaluation: is it silenced?
 *   touching(series, from, to)        graphs: which windows to draw
 *
 * Globs are filed in a trie by their literal leading segments and compiled
 * once; what covers a series is worked out on its first question and cached
 * until a downtime covering it changes. For the alarm question the cached
 * view keeps the one-off planned windows sorted by start with a running
 * maximum of their ends, so a binary search and a short walk back answer it; recurring ones
 * answer from a week of occurrences cached per rule.
 *
 * Holds filed downtimes only: put() of a cancelled one removes it. Not
 * thread-safe, and needs none: the server calls it from one event loop.
 */
import type { SeriesMatcher } from '../config-schema/index.js';
import { GlobTrie } from './glob-trie.js';
import type { Downtime, Occurrence } from './model.js';
import { compileRecurrence, globMatcher, windowsTouching } from './occurrences.js';
import type { Recurrence } from './recurrence.js';

/** The answer to the alarm question: the downtime and its window containing t. */
export interface ActiveDowntime {
  readonly downtime: Downtime;
  readonly window: Occurrence;
}

/** A downtime and its windows within a graph's time range. */
export interface TouchingDowntime {
  readonly downtime: Downtime;
  readonly windows: readonly Occurrence[];
}

interface Entry {
  readonly downtime: Downtime;
  readonly globs: readonly SeriesMatcher[];
  readonly recurrence: Recurrence | null;
}

/** What covers one series: every entry for graphs, planned ones arranged for the alarm question. */
interface SeriesView {
  readonly series: string;
  readonly agent: string | undefined;
  readonly all: readonly Entry[];
  readonly starts: Float64Array;
  /** Infinity for an open window. */
  readonly ends: Float64Array;
  /** maxEnd[i] = max(ends[0..i]): walking back from i can stop once it is ≤ t. */
  readonly maxEnd: Float64Array;
  readonly oneOff: readonly Entry[];
  readonly recurring: readonly Entry[];
}

/** Series views kept before the cache starts over; a server has at most this many series asked about. */
const MAX_VIEWS = 200_000;

const viewKey = (series: string, agent: string | undefined): string => (agent === undefined ? series : `${series}\u0000${agent}`);

const byStart = (a: Entry, b: Entry): number => a.downtime.start - b.downtime.start || a.downtime.id - b.downtime.id;

/** The better of two answers: the window ending last (open ones last of all), then the lower id. */
function better(a: ActiveDowntime | undefined, b: ActiveDowntime): ActiveDowntime {
  if (!a) return b;
  const ea = a.window.end ?? Infinity;
  const eb = b.window.end ?? Infinity;
  return eb > ea || (eb === ea && b.downtime.id < a.downtime.id) ? b : a;
}

export class DowntimeIndex {
  private readonly entries = new Map<number, Entry>();
  private readonly trie = new GlobTrie<Entry>();
  private readonly byAgent = new Map<string, Set<Entry>>();
  private readonly views = new Map<string, SeriesView>();

  constructor(downtimes: Iterable<Downtime> = []) {
    for (const d of downtimes) this.put(d);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Adds or replaces a downtime (a cancelled one is removed). Throws for a stored rule that does not compile. */
  put(downtime: Downtime): void {
    const entry: Entry = { downtime, globs: downtime.scope.series.map(globMatcher), recurrence: compileRecurrence(downtime) };
    this.remove(downtime.id);
    if (downtime.status === 'cancelled') return;
    this.forget(entry);
    this.entries.set(downtime.id, entry);
    for (const glob of downtime.scope.series) this.trie.add(glob, entry);
    for (const agent of downtime.scope.agents) {
      let set = this.byAgent.get(agent);
      if (!set) this.byAgent.set(agent, (set = new Set()));
      set.add(entry);
    }
  }

  remove(id: number): void {
    const old = this.entries.get(id);
    if (!old) return;
    this.forget(old);
    this.entries.delete(id);
    for (const glob of old.downtime.scope.series) this.trie.delete(glob, old);
    for (const agent of old.downtime.scope.agents) this.byAgent.get(agent)?.delete(old);
  }

  /** The planned downtime `series` (from `agent`, if known) is in at `t`, or undefined. */
  activePlannedDowntime(series: string, t: number, agent?: string): ActiveDowntime | undefined {
    const view = this.view(series, agent);
    let found: ActiveDowntime | undefined;
    // Last window starting at or before t.
    let lo = 0;
    let hi = view.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (view.starts[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && view.maxEnd[i] > t; i--) {
      if (view.ends[i] > t) {
        const d = view.oneOff[i].downtime;
        found = better(found, { downtime: d, window: { start: d.start, end: d.end } });
      }
    }
    for (const e of view.recurring) {
      const window = e.recurrence?.at(t);
      if (window) found = better(found, { downtime: e.downtime, window });
    }
    return found;
  }

  /**
   * Every downtime covering `series` (from `agent`, if known), by start then
   * id, with its compiled rule: for an expansion paced by the caller. Not
   * cached unless the alarm question cached it already: any name a client
   * asks about would otherwise take a place in the cache, and every change
   * walks the cache (forget).
   */
  covering(series: string, agent?: string): ReadonlyArray<{ readonly downtime: Downtime; readonly recurrence: Recurrence | null }> {
    return (this.views.get(viewKey(series, agent)) ?? this.buildView(series, agent)).all;
  }

  /** Every downtime (planned or not) with a window overlapping [from, to) for `series`, by start then id. */
  touching(series: string, from: number, to: number, agent?: string): TouchingDowntime[] {
    const out: TouchingDowntime[] = [];
    for (const e of this.view(series, agent).all) {
      const windows = windowsTouching(e.downtime, e.recurrence, from, to);
      if (windows.length > 0) out.push({ downtime: e.downtime, windows });
    }
    return out;
  }

  /** Drops the cached views of the series `entry` covers, so their next question sees the change. */
  private forget(entry: Entry): void {
    for (const [key, view] of this.views) {
      const covered = (view.agent !== undefined && entry.downtime.scope.agents.includes(view.agent)) || entry.globs.some((g) => g.test(view.series));
      if (covered) this.views.delete(key);
    }
  }

  private view(series: string, agent: string | undefined): SeriesView {
    const key = viewKey(series, agent);
    let view = this.views.get(key);
    if (!view) {
      if (this.views.size >= MAX_VIEWS) this.views.clear();
      view = this.buildView(series, agent);
      this.views.set(key, view);
    }
    return view;
  }

  private buildView(series: string, agent: string | undefined): SeriesView {
    const candidates = new Set<Entry>();
    this.trie.collect(series, candidates);
    const matched = new Set<Entry>();
    for (const e of candidates) if (e.globs.some((g) => g.test(series))) matched.add(e);
    if (agent !== undefined) for (const e of this.byAgent.get(agent) ?? []) matched.add(e);
    const all = [...matched].sort(byStart);
    const planned = all.filter((e) => e.downtime.kind === 'planned');
    const oneOff = planned.filter((e) => e.recurrence === null);
    const starts = Float64Array.from(oneOff, (e) => e.downtime.start);
    const ends = Float64Array.from(oneOff, (e) => e.downtime.end ?? Infinity);
    const maxEnd = new Float64Array(ends.length);
    ends.forEach((end, i) => (maxEnd[i] = Math.max(end, i > 0 ? maxEnd[i - 1] : -Infinity)));
    return { series, agent, all, starts, ends, maxEnd, oneOff, recurring: planned.filter((e) => e.recurrence !== null) };
  }
}
