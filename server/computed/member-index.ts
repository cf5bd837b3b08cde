/**
 * Which series are members of which computed series, and each member's
 * last sample, kept as samples arrive (the store's accepted-samples
 * listener): a series is matched against the computed patterns once, the
 * first time it is seen, so the cost per sample is one Map lookup however
 * many series the store holds, and a step reads only the members it needs.
 * A series never leaves the index; one that falls silent is simply unknown
 * once its heartbeat passes (aggregate.ts).
 *
 * A member's heartbeat is its archive's, when known: from the store's
 * listing at start (seed), which wins for good. Otherwise it is what the
 * config would give its archive (`heartbeatOf`) at the interval its samples
 * declare, or, without one, at the gap between its first two samples (as
 * the store infers a new series' step: store/cadence.ts), or at no step
 * (the config's default for an unknown cadence) until a second one comes.
 */
import { seriesGlob, type SeriesMatcher } from '../config-schema/index.js';
import type { MemberValue } from './aggregate.js';

/** One member: its name, last sample and heartbeat. */
export interface Member extends MemberValue {
  readonly name: string;
  time: number;
  value: number | null;
  heartbeat: number;
  /** Where the heartbeat came from: the archive and a declared interval are final, a guess is refined by the next sample. */
  heartbeatFrom: 'archive' | 'interval' | 'guess' | 'gap';
}

/** A sample as the store's listener hands it (StoreSample fits). */
export interface ObservedSample {
  readonly series: string;
  readonly time: number;
  readonly value: number | null;
  readonly interval?: number;
}

/** A series as the store lists it at start, with its archive's heartbeat. */
export interface ListedSeries {
  readonly series: string;
  readonly lastUpdate: number;
  readonly lastValue: number | null;
  readonly heartbeat: number;
}

/** The heartbeat the config gives `series` at `step` seconds (undefined: cadence unknown). */
export type HeartbeatOf = (series: string, step?: number) => number;

/** A series seen that belongs to no computed series. */
const NOT_A_MEMBER = null;

export class MemberIndex {
  private readonly matchers: readonly (readonly SeriesMatcher[])[];
  private readonly lists: Member[][];
  /** Every series seen: its Member, or NOT_A_MEMBER. */
  private readonly seen = new Map<string, Member | typeof NOT_A_MEMBER>();
  /** Series matched against the patterns so far (each once). */
  matchings = 0;

  /** `patterns[i]`: the patterns of computed series i. */
  constructor(
    patterns: readonly (readonly string[])[],
    private readonly heartbeatOf: HeartbeatOf,
  ) {
    this.matchers = patterns.map((list) => list.map((p) => seriesGlob(p)));
    this.lists = patterns.map(() => []);
  }

  /** The members of computed series `i`, in the order they appeared. */
  members(i: number): readonly Member[] {
    return this.lists[i];
  }

  /** Whether some computed series' pattern matches `name` (without filing it). */
  covers(name: string): boolean {
    return this.matchers.some((list) => list.some((m) => m.test(name)));
  }

  /** Takes accepted samples (in time order per series). Must stay quick: it runs on every ingest. */
  observe(samples: readonly ObservedSample[]): void {
    for (const s of samples) {
      let member = this.seen.get(s.series);
      if (member === undefined) member = this.meet(s.series);
      if (member === NOT_A_MEMBER || s.time <= member.time) continue;
      if (member.heartbeatFrom === 'guess' && member.time !== -Infinity && s.interval === undefined) {
        member.heartbeat = this.heartbeatOf(member.name, s.time - member.time);
        member.heartbeatFrom = 'gap';
      }
      if (s.interval !== undefined && member.heartbeatFrom !== 'archive') {
        member.heartbeat = this.heartbeatOf(member.name, s.interval);
        member.heartbeatFrom = 'interval';
      }
      member.time = s.time;
      member.value = s.value;
    }
  }

  /** Takes the store's listing at start: archived members with their archive's heartbeat, and their last sample unless one newer was heard. */
  seed(listed: Iterable<ListedSeries>): void {
    for (const s of listed) {
      let member = this.seen.get(s.series);
      if (member === undefined) member = this.meet(s.series);
      if (member === NOT_A_MEMBER) continue;
      member.heartbeat = s.heartbeat;
      member.heartbeatFrom = 'archive';
      if (s.lastUpdate > member.time) Object.assign(member, { time: s.lastUpdate, value: s.lastValue });
    }
  }

  /** Matches a series seen for the first time and files it. */
  private meet(name: string): Member | typeof NOT_A_MEMBER {
    this.matchings++;
    let member: Member | undefined;
    for (let i = 0; i < this.matchers.length; i++) {
      if (!this.matchers[i].some((m) => m.test(name))) continue;
      member ??= { name, time: -Infinity, value: null, heartbeat: this.heartbeatOf(name), heartbeatFrom: 'guess' };
      this.lists[i].push(member);
    }
    this.seen.set(name, member ?? NOT_A_MEMBER);
    return member ?? NOT_A_MEMBER;
  }
}
