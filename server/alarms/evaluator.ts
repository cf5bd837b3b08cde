/**
 * The alarm evaluator: samples in, transitions out. Pure and in memory: no
 * I/O, no timers, the clock passed in; the engine (alarm-engine.ts) wires it
 * to the store, the database, downtimes and notices.
 *
 * Semantics, per alarmed series (state machine: series-state.ts):
 *
 * - Level of a value: CRITICAL if the critical range alerts, else WARNING if
 *   the warning range alerts, else OK (nagios-range.ts `alerts`).
 * - Hysteresis (the rule's, in value units): while CRITICAL, the level stays
 *   CRITICAL until the critical range clears with that margin; then, while
 *   WARNING or CRITICAL, it is WARNING until the warning range clears with
 *   it too. A rise is never delayed by hysteresis.
 * - `for`: a rise must be held for forSeconds of sample time. badSince and
 *   critSince are the first sample times of the current runs at ≥ WARNING
 *   and at CRITICAL; a sample at a lower level ends the run. At a sample at
 *   time t: CRITICAL if t − critSince ≥ for, else WARNING from OK if
 *   t − badSince ≥ for. A status the level is already at stays. Falls
 *   (CRITICAL → WARNING, → OK) are immediate, subject to hysteresis only.
 *   for = 0: at once.
 * - null (and NaN) values are not data: they change nothing and do not
 *   count as a sample for nodata.
 * - NODATA: at checkNodata(now), an alarmed series whose rule has nodata and
 *   whose last sample is more than nodata seconds before now, whatever its
 *   status. The first sample after NODATA moves it straight to its value's
 *   level, without `for` or hysteresis: the series was not OK already.
 * - `since` is the time of the last transition: the sample's, or now for
 *   NODATA. A series is seen first at its first sample (or by seen()), as
 *   OK since then; that is no transition unless the value is already bad
 *   (then OK → level, `for` respected).
 * - Offered thresholds (a slurper's) fill only a level the series' config
 *   rule leaves out; a series no config rule matches is alarmed by the
 *   offered rule once it has an offered range, if that rule is enabled.
 *   New thresholds apply from the next sample; an unparsable range is
 *   ignored (the other level still counts). A series is alarmed when it has
 *   a warning or critical range in force, or a rule with nodata.
 * - A restored state is kept when its series still has a config rule (it
 *   takes the current one), or when it was alarmed by the offered rule and
 *   that is still enabled (its slurper offers the ranges again on its next
 *   run). `for` runs are not persisted: after a restart one starts afresh.
 * - A rule with `states` (a set of good values in a window) judges the
 *   set instead of thresholds, and offered thresholds do not count for
 *   its series: semantics in state-set.ts.
 * - Afresh (afresh(), when the node a series hangs on is back): its next
 *   sample goes straight to its value's level, as after NODATA, and is a
 *   transition even when the level is the status it has; nodata counts
 *   from then at the earliest, so a series does not go NODATA before its
 *   node's samples had a chance to come; a series NODATA already and still
 *   silent nodata after the return is a NODATA → NODATA transition (once).
 */
import { formatDuration } from '../../lib/duration.js';
import type { OfferedThresholds } from '../../slurpers/contract.js';
import { DeadlineHeap } from './deadline-heap.js';
import { OFFERED_RULE, type AlarmRule, type AlarmState, type Thresholds, type Transition } from './model.js';
import { hasAlarm, isSameOffer, readOffer, thresholdsInForce, type Offer } from './offered.js';
import type { RuleSet } from './rule-set.js';
import { SeriesState, type SeriesAlarm } from './series-state.js';

export type { SeriesAlarm } from './series-state.js';

/** A series' state as the engine stored it before a restart; its rule's name then (the current rule is taken). */
export type RestoredAlarm = AlarmState;

export class AlarmEvaluator {
  /** Every series met so far; null: not alarmed (most series), remembered so that they cost one lookup per sample. */
  private readonly states = new Map<string, SeriesState | null>();
  private readonly offers = new Map<string, Offer>();
  /** States whose rule has nodata and whose status is not NODATA, by (a lower bound of) their deadline. */
  private readonly nodataDeadlines = new DeadlineHeap<SeriesState>();

  constructor(
    private readonly rules: RuleSet,
    restored: Iterable<RestoredAlarm> = [],
  ) {
    for (const alarm of restored) this.restore(alarm);
  }

  /**
   * Takes one sample; the transition it causes, if any. The ingest path:
   * samples must come in time order per series (the store's order). Never
   * throws.
   */
  observe(series: string, time: number, value: number | null): Transition | undefined {
    let state = this.states.get(series);
    if (state === null || value === null || Number.isNaN(value)) return undefined;
    if (state === undefined) {
      state = this.admit(series, time);
      if (state === null) return undefined;
    }
    const transition = state.sample(time, value);
    if (transition !== undefined && transition.from === 'NODATA') this.watchNodata(state);
    return transition;
  }

  /**
   * Thresholds a slurper offers for a series, Nagios ranges; they count from
   * the series' next sample. Returns what is wrong with an unparsable range
   * (which is ignored), undefined when all parsed. A repeat of the series'
   * last offer costs one lookup and two comparisons.
   */
  offer(series: string, offered: OfferedThresholds): string | undefined {
    const last = this.offers.get(series);
    if (last !== undefined && isSameOffer(last, offered)) return last.problem;
    const offer = readOffer(offered);
    this.offers.set(series, offer);
    const state = this.states.get(series);
    // Not alarmed before, perhaps alarmed now: the next sample asks again.
    if (state === null) this.states.delete(series);
    else if (state !== undefined) state.thresholds = thresholdsInForce(state.rule, offer.thresholds);
    return offer.problem;
  }

  /**
   * The series that went silent: every alarmed series whose rule has nodata
   * and whose last sample is more than that before `now` goes NODATA (once).
   * Looks only at series whose deadline may have passed.
   */
  checkNodata(now: number): Transition[] {
    const transitions: Transition[] = [];
    while (this.nodataDeadlines.nextDueAt() < now) {
      const state = this.nodataDeadlines.pop();
      if (state === undefined) break;
      state.inNodataHeap = false;
      const seconds = state.rule.nodataSeconds ?? Infinity;
      const deadline = Math.max(state.lastSampleAt, state.nodataFrom) + seconds;
      // A NODATA state is in the heap only to be decided afresh: once, unless a sample did it.
      if (state.status === 'NODATA' && !state.afresh) continue;
      if (deadline < now) transitions.push(state.silence(now, `no data for ${formatDuration(seconds)}`));
      else this.pushDeadline(state, deadline);
    }
    return transitions;
  }

  /**
   * At start, the time of a series' last sample before it (its archive's
   * last update), so a series silent since before a restart goes NODATA on
   * time. Creates the series' state (OK since then) when its rule has nodata.
   */
  seen(series: string, lastSampleAt: number): void {
    const state = this.states.get(series);
    if (state === null) return;
    if (state !== undefined) {
      // Only later: the nodata deadlines must not move earlier behind the heap's back.
      if (lastSampleAt > state.lastSampleAt) state.lastSampleAt = lastSampleAt;
      return;
    }
    const alarm = this.alarmOf(series);
    if (alarm === undefined) this.states.set(series, null);
    else if (alarm.rule.nodataSeconds !== undefined) this.start(series, alarm.rule, alarm.thresholds, lastSampleAt, null);
  }

  /**
   * The alarmed series `which` picks are decided afresh (their node is
   * back, node-alarms.ts): the next sample of each sets its status from
   * its value alone, as after NODATA, and is a transition even to the
   * status it has; nodata counts from `now` at the earliest. Looks at
   * every alarmed series: for rare events.
   */
  afresh(which: (series: string) => boolean, now: number): void {
    for (const state of this.states.values()) {
      if (state === null || !which(state.series)) continue;
      state.afresh = true;
      state.nodataFrom = now;
      // NODATA since before the return: silent for nodata more after it, it is told (once) as NODATA anew.
      const seconds = state.rule.nodataSeconds;
      if (state.status === 'NODATA' && seconds !== undefined && !state.inNodataHeap) this.pushDeadline(state, now + seconds);
      else this.watchNodata(state);
    }
  }

  get(series: string): SeriesAlarm | undefined {
    return this.states.get(series)?.snapshot();
  }

  *all(): Iterable<SeriesAlarm> {
    for (const state of this.states.values()) if (state !== null) yield state.snapshot();
  }

  /** A series met for the first time with a value: its state, or null (remembered) when nothing alarms it. */
  private admit(series: string, time: number): SeriesState | null {
    const alarm = this.alarmOf(series);
    if (alarm !== undefined) return this.start(series, alarm.rule, alarm.thresholds, time, null);
    this.states.set(series, null);
    return null;
  }

  private alarmOf(series: string): { rule: AlarmRule; thresholds: Thresholds } | undefined {
    const offered = this.offers.get(series)?.thresholds;
    const rule = this.rules.ruleFor(series) ?? (offered === undefined ? undefined : this.rules.offeredRule());
    if (rule === undefined) return undefined;
    const thresholds = thresholdsInForce(rule, offered);
    return hasAlarm(rule, thresholds) ? { rule, thresholds } : undefined;
  }

  private start(series: string, rule: AlarmRule, thresholds: Thresholds, time: number, value: number | null): SeriesState {
    const state = new SeriesState(series, rule, thresholds, time, time, value);
    this.states.set(series, state);
    this.watchNodata(state);
    return state;
  }

  private restore(alarm: RestoredAlarm): void {
    // One state per series: a second would be orphaned in the nodata heap.
    if (this.states.has(alarm.series)) return;
    const rule = this.rules.ruleFor(alarm.series) ?? (alarm.rule === OFFERED_RULE ? this.rules.offeredRule() : undefined);
    if (rule === undefined) return;
    const state = new SeriesState(alarm.series, rule, rule.thresholds, alarm.since, alarm.lastSampleAt, alarm.value);
    state.status = alarm.status;
    state.threshold = alarm.threshold;
    this.states.set(alarm.series, state);
    this.watchNodata(state);
  }

  private watchNodata(state: SeriesState): void {
    const seconds = state.rule.nodataSeconds;
    if (seconds === undefined || state.inNodataHeap || state.status === 'NODATA') return;
    this.pushDeadline(state, Math.max(state.lastSampleAt, state.nodataFrom) + seconds);
  }

  private pushDeadline(state: SeriesState, deadline: number): void {
    state.dueAt = deadline;
    state.inNodataHeap = true;
    this.nodataDeadlines.push(state);
  }
}
