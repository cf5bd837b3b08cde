/**
 * The alarm state machine of one series (semantics: evaluator.ts). Mutable
 * and private to the evaluator, which hands out snapshots; a sample that
 * changes nothing writes a few numbers and allocates nothing.
 */
import type { Deadline } from './deadline-heap.js';
import { breachText, levelOf, type Level } from './level.js';
import type { AlarmRule, AlarmState, AlarmStatus, Thresholds, Transition } from './model.js';
import { StateWindow } from './state-set.js';

/** The alarm of one series as the API lists it: a snapshot, not updated afterwards. */
export interface SeriesAlarm extends AlarmState {
  /** The thresholds in force: the rule's, with offered ones filled in. */
  readonly thresholds: Thresholds;
  /** A higher status the value is at but has not held for the rule's `for` yet. */
  readonly pending?: { readonly status: 'WARNING' | 'CRITICAL'; readonly since: number };
}

export class SeriesState implements Deadline {
  status: AlarmStatus = 'OK';
  /** The threshold text of the last transition: what NODATA and restored states show. */
  threshold: string | null = null;
  /** First sample time of the current run at WARNING or above; NaN when not in one. */
  badSince = NaN;
  /** First sample time of the current run at CRITICAL; NaN when not in one. */
  critSince = NaN;
  dueAt = Infinity;
  inNodataHeap = false;
  /** Decide the next sample from its value alone, even to the same status (evaluator.ts afresh). */
  afresh = false;
  /** Nodata counts from here when it is later than the last sample (set when decided afresh). */
  nodataFrom = -Infinity;
  /** The values of the rule's window when it judges a set (state-set.ts) rather than thresholds. */
  private readonly window: StateWindow | undefined;

  constructor(
    readonly series: string,
    readonly rule: AlarmRule,
    public thresholds: Thresholds,
    public since: number,
    public lastSampleAt: number,
    public value: number | null,
  ) {
    this.window = rule.states === undefined ? undefined : new StateWindow(rule.states);
  }

  /** Takes one sample with a value; the transition it causes, if any. */
  sample(time: number, value: number): Transition | undefined {
    if (time > this.lastSampleAt) this.lastSampleAt = time;
    this.value = value;
    const from = this.status;
    if (this.window !== undefined) return this.judgeWindow(this.window, from, time, value);
    if (from === 'NODATA' || this.afresh) return this.recover(time, value);
    const level = levelOf(value, this.thresholds, from, this.rule.hysteresis);
    if (level === 'OK') {
      this.badSince = NaN;
      this.critSince = NaN;
      return from === 'OK' ? undefined : this.change('OK', time, value);
    }
    if (Number.isNaN(this.badSince)) this.badSince = time;
    if (level === 'WARNING') this.critSince = NaN;
    else if (Number.isNaN(this.critSince)) this.critSince = time;
    const to = this.escalated(from, level, time);
    return to === from ? undefined : this.change(to, time, value);
  }

  /** Silent for `nodata` at `now`; decided afresh, also from NODATA to NODATA. */
  silence(now: number, threshold: string): Transition {
    const transition: Transition = { series: this.series, rule: this.rule.name, from: this.status, to: 'NODATA', at: now, value: null, threshold };
    this.afresh = false;
    this.status = 'NODATA';
    this.since = now;
    this.threshold = threshold;
    this.badSince = NaN;
    this.critSince = NaN;
    this.window?.restart();
    return transition;
  }

  snapshot(): SeriesAlarm {
    return Object.freeze({
      series: this.series,
      rule: this.rule.name,
      status: this.status,
      since: this.since,
      value: this.value,
      lastSampleAt: this.lastSampleAt,
      threshold: this.currentThreshold(),
      thresholds: this.thresholds,
      ...this.pending(),
    });
  }

  /** The status the current runs earn: a rise waits out `for`, a fall (already through hysteresis in `level`) does not. */
  private escalated(from: Exclude<AlarmStatus, 'NODATA'>, level: Exclude<Level, 'OK'>, time: number): Level {
    const forSeconds = this.rule.forSeconds;
    if (level === 'CRITICAL' && (from === 'CRITICAL' || time - this.critSince >= forSeconds)) return 'CRITICAL';
    if (from !== 'OK') return 'WARNING';
    return time - this.badSince >= forSeconds ? 'WARNING' : 'OK';
  }

  /**
   * The series was already not OK, so its first value back counts at once
   * and without hysteresis; decided afresh, the same, and a change to the
   * status it has is returned too (the engine tells it when what people
   * heard differs).
   */
  private recover(time: number, value: number): Transition {
    this.afresh = false;
    const level = levelOf(value, this.thresholds, 'OK', 0);
    this.badSince = level === 'OK' ? NaN : time;
    this.critSince = level === 'CRITICAL' ? time : NaN;
    return this.change(level, time, value);
  }

  /**
   * A rule over a set: the window decides, with no `for` or hysteresis; a
   * window not covered yet keeps the status. Back from NODATA or decided
   * afresh, the values that come count at once (afresh: only those from
   * now, and a change to the same status is returned too, as recover's).
   */
  private judgeWindow(window: StateWindow, from: AlarmStatus, time: number, value: number): Transition | undefined {
    const afresh = this.afresh;
    if (afresh) {
      this.afresh = false;
      window.restart();
    }
    const level = window.add(time, value, afresh || from === 'NODATA') ?? from;
    if (level === from && !afresh) return undefined;
    if (level === 'NODATA' || level === 'OK') return this.change('OK', time, value, null);
    const breach = window.breach(value);
    return this.change(level, time, breach.value, breach.text);
  }

  private change(to: Level, time: number, value: number, threshold = breachText(this.thresholds, to, value)): Transition {
    const transition: Transition = { series: this.series, rule: this.rule.name, from: this.status, to, at: time, value, threshold };
    this.status = to;
    this.since = time;
    this.threshold = threshold;
    return transition;
  }

  /** Recomputed, since a two-sided range can be broken on the other side by now without a change of status. */
  private currentThreshold(): string | null {
    const status = this.status;
    if (status === 'OK') return null;
    if (status === 'NODATA' || this.value === null) return this.threshold;
    if (this.window !== undefined) return this.window.breach(this.value).text;
    return breachText(this.thresholds, status, this.value) ?? this.threshold;
  }

  private pending(): Pick<SeriesAlarm, 'pending'> {
    const status = this.status;
    if (this.window !== undefined) {
      const since = this.window.pendingSince();
      return status === 'OK' && !Number.isNaN(since) ? { pending: { status: this.window.rule.level, since } } : {};
    }
    if ((status === 'OK' || status === 'WARNING') && !Number.isNaN(this.critSince)) return { pending: { status: 'CRITICAL', since: this.critSince } };
    if (status === 'OK' && !Number.isNaN(this.badSince)) return { pending: { status: 'WARNING', since: this.badSince } };
    return {};
  }
}
