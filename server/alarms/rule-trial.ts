/**
 * Trying a rule against history: what one `alarms.rules` entry would have
 * done over archived rows, before it is deployed. Pure: no I/O, no clock;
 * the caller (server/routes/rule-trial.ts) reads the archives and hands the
 * rows over, one series at a time.
 *
 * The rule is compiled by compileRules and run by a fresh AlarmEvaluator
 * per series, and notices are decided by the notice policy: the trial
 * evaluates nothing itself. Per series, over the rows at times t with
 * from < t ≤ until, in time order:
 *
 * - a known value is a sample (observe); an unknown row is where silence is
 *   looked for (checkNodata at t). Only there: a row is a consolidation of
 *   its step, so a rule whose nodata is shorter than the step would
 *   otherwise go NODATA between every two rows. The series counts as seen
 *   at `from` (a rule with nodata on a series silent since then goes NODATA
 *   once nodata has passed).
 * - each transition goes through decideOnChange with the planned downtime
 *   in force then (a caller's lookup; none without one), then the series
 *   has a tick at t (decideOnTick: reminders at renotify, downtime-over):
 *   the engine ticks every second, the trial at every row, so reminders and
 *   downtime-over are told at the first row at or after their time.
 * - the time in each status is counted from `from` (OK) to `until`.
 *
 * The rule alone is tried: a config rule listed before it that matches a
 * series would alarm that series instead once deployed. Settings taken
 * from node metadata are resolved per series against the snapshot given
 * (the one in force on the server), as the engine resolves them.
 */
import { formatDuration } from '../../lib/duration.js';
import type { MetadataSnapshot } from '../metadata/index.js';
import type { AlarmRuleSetting, AlarmsSettings } from './config-section.js';
import { AlarmEvaluator } from './evaluator.js';
import { NOTICE_KINDS, type AlarmRule, type AlarmStatus, type NoticeKind, type Transition } from './model.js';
import { decideOnChange, decideOnTick, FRESH_MEMORY, needsTicks, type NoticeMemory } from './notice-policy.js';
import { DEFAULT_MAX_PENDING_TRANSITIONS } from './pending-changes.js';
import { compileRules, type RuleSet } from './rule-set.js';

/** The rows of one series: values[i] is the row at start + (i + 1) × step (the archive's fetch convention); NaN is unknown. */
export interface SeriesRows {
  readonly series: string;
  readonly start: number;
  readonly step: number;
  readonly values: ArrayLike<number>;
}

/** The id of the planned downtime `series` is in at `t`, if any (server/downtimes answers it). */
export type PlannedDowntimeAt = (series: string, t: number) => number | undefined;

export interface TrialOptions {
  /** Transitions and notices listed in the answer, each; beyond, only counted. */
  readonly maxListed: number;
  /** Without it, no planned downtime is respected. */
  readonly plannedDowntime?: PlannedDowntimeAt;
  /** The node metadata settings `{ meta: ... }` are resolved against, as the engine does; without it, their defaults. */
  readonly metadata?: MetadataSnapshot;
}

/** Node fields the rule refused, listed in the notes (each once) up to this many. */
const MAX_METADATA_NOTES = 10;

export type StatusTimes = Record<AlarmStatus, number>;

/** A transition the rule would have made; quietBy: the planned downtime that would have kept it quiet. */
export interface TrialTransition extends Transition {
  readonly quietBy: number | null;
}

/** A notice the rule would have sent (to its notify list). */
export interface TrialNotice {
  readonly series: string;
  readonly kind: NoticeKind;
  readonly status: AlarmStatus;
  readonly at: number;
  readonly value: number | null;
  readonly threshold: string | null;
}

/** One series' figures. */
export interface SeriesTrial {
  readonly series: string;
  readonly step: number;
  /** Rows inside the range, known or not. */
  readonly rows: number;
  readonly transitions: number;
  readonly notices: number;
  /** Seconds in each status from `from` to `until`. */
  readonly timeIn: StatusTimes;
  /** The status at `until`. */
  readonly status: AlarmStatus;
}

export type NoticeCounts = Record<NoticeKind, number> & { total: number };

export interface TrialResult {
  readonly rule: string;
  readonly notify: readonly string[];
  readonly from: number;
  readonly until: number;
  /** Row steps met, finest first. */
  readonly steps: readonly number[];
  readonly series: readonly SeriesTrial[];
  /** The first maxListed transitions, by series then time. */
  readonly transitions: readonly TrialTransition[];
  /** The first maxListed notices, by series then time. */
  readonly notices: readonly TrialNotice[];
  readonly listed: { readonly transitions: number; readonly notices: number };
  readonly totals: {
    readonly series: number;
    readonly rows: number;
    readonly transitions: number;
    /** Transitions a planned downtime kept quiet. */
    readonly quiet: number;
    readonly notices: NoticeCounts;
  };
  /** What the rows' resolution means for this rule, for people. */
  readonly notes: readonly string[];
}

/** One series being tried: advance() a slice of rows at a time, so a caller can let other work in between. */
export interface SeriesRun {
  /** Takes up to `rows` more rows; true once the series is done (its figures are then in the trial's result). */
  advance(rows: number): boolean;
}

const zeroTimes = (): StatusTimes => ({ OK: 0, WARNING: 0, CRITICAL: 0, NODATA: 0 });

export class RuleTrial {
  readonly rule: AlarmRule;
  private readonly ruleSet: RuleSet;
  private readonly series: SeriesTrial[] = [];
  private readonly transitions: TrialTransition[] = [];
  private readonly notices: TrialNotice[] = [];
  private readonly steps = new Set<number>();
  private readonly counts: NoticeCounts = { ...(Object.fromEntries(NOTICE_KINDS.map((k) => [k, 0])) as Record<NoticeKind, number>), total: 0 };
  private transitionCount = 0;
  private quiet = 0;
  private rowCount = 0;
  private readonly metadataProblems = new Set<string>();

  /**
   * `setting` is an `alarms.rules` entry as the config loads it (validated,
   * defaults filled in, durations in seconds). Throws Error for a threshold
   * the config's check would have refused.
   */
  constructor(
    setting: AlarmRuleSetting,
    private readonly range: { readonly from: number; readonly until: number },
    private readonly options: TrialOptions,
  ) {
    const alarms: AlarmsSettings = {
      rules: [setting],
      recipients: [],
      offered: { enabled: false, for: 0, notify: [] },
      groupWait: 0,
      maxPendingTransitions: DEFAULT_MAX_PENDING_TRANSITIONS,
    };
    this.ruleSet = compileRules(alarms, options.metadata, (problem) => {
      if (this.metadataProblems.size < MAX_METADATA_NOTES) this.metadataProblems.add(problem);
    });
    this.rule = this.ruleSet.rules[0];
  }

  /** Whether the rule alarms `series` (its patterns, as the rule set matches them). */
  matches(series: string): boolean {
    return this.ruleSet.ruleFor(series) !== undefined;
  }

  /** Tries the rule on one series' rows, all at once. */
  add(rows: SeriesRows): SeriesTrial {
    this.start(rows).advance(Infinity);
    return this.series[this.series.length - 1];
  }

  /** Tries the rule on one series' rows, a slice at a time; one series at a time (finish one before starting the next). */
  start(rows: SeriesRows): SeriesRun {
    const { series, start, step, values } = rows;
    const { from, until } = this.range;
    // The rule as it applies to this series' node (metadata resolved).
    const rule = this.ruleSet.ruleFor(series) ?? this.rule;
    const planned = this.options.plannedDowntime ?? (() => undefined);
    const evaluator = new AlarmEvaluator(this.ruleSet);
    evaluator.seen(series, from);
    const timeIn = zeroTimes();
    let memory: NoticeMemory = FRESH_MEMORY;
    let status: AlarmStatus = 'OK';
    let since = from;
    let transitions = 0;
    let notices = 0;
    let inRange = 0;
    // The first row after `from`.
    let i = Math.max(0, Math.floor((from - start) / step));
    while (i < values.length && start + (i + 1) * step <= from) i++;
    const tell = (kind: NoticeKind, at: number, value: number | null, threshold: string | null): void => {
      notices++;
      this.counts[kind]++;
      this.counts.total++;
      if (this.notices.length < this.options.maxListed) this.notices.push({ series, kind, status, at, value, threshold });
    };
    let finished = false;
    const done = (): true => {
      if (finished) return true;
      finished = true;
      timeIn[status] += until - since;
      this.steps.add(step);
      this.rowCount += inRange;
      this.series.push({ series, step, rows: inRange, transitions, notices, timeIn, status });
      return true;
    };
    return {
      advance: (slice) => {
        if (finished) return true;
        for (let taken = 0; taken < slice; taken++, i++) {
          const t = start + (i + 1) * step;
          if (i >= values.length || t > until) return done();
          inRange++;
          const v = values[i];
          const changes = Number.isNaN(v) ? evaluator.checkNodata(t) : [evaluator.observe(series, t, v)];
          for (const change of changes) {
            if (change === undefined) continue;
            const quietBy = planned(series, change.at);
            const decision = decideOnChange(memory, change.to, change.at, quietBy);
            timeIn[status] += change.at - since;
            status = change.to;
            since = change.at;
            memory = decision.memory;
            transitions++;
            this.transitionCount++;
            if (quietBy !== undefined) this.quiet++;
            if (this.transitions.length < this.options.maxListed) this.transitions.push({ ...change, quietBy: quietBy ?? null });
            if (decision.notice !== undefined) tell(decision.notice, change.at, change.value, change.threshold);
          }
          if (needsTicks(memory)) {
            const decision = decideOnTick(memory, status, t, rule.renotifySeconds, () => planned(series, t));
            memory = decision.memory;
            if (decision.notice !== undefined) {
              const now = evaluator.get(series);
              tell(decision.notice, t, now?.value ?? null, now?.threshold ?? null);
            }
          }
        }
        return false;
      },
    };
  }

  result(): TrialResult {
    const { from, until } = this.range;
    const steps = [...this.steps].sort((a, b) => a - b);
    return {
      rule: this.rule.name,
      notify: [...this.rule.notify],
      from,
      until,
      steps,
      series: [...this.series],
      transitions: [...this.transitions],
      notices: [...this.notices],
      listed: { transitions: this.transitions.length, notices: this.notices.length },
      totals: { series: this.series.length, rows: this.rowCount, transitions: this.transitionCount, quiet: this.quiet, notices: { ...this.counts } },
      notes: [...steps.flatMap((step) => resolutionNotes(this.rule, step)), ...[...this.metadataProblems].map((p) => `metadata: ${p} (its default was used)`)],
    };
  }
}

/** Where rows of `step` cannot show what the rule would see of every sample. */
function resolutionNotes(rule: AlarmRule, step: number): string[] {
  const notes: string[] = [];
  const at = formatDuration(step);
  if (rule.nodataSeconds !== undefined && rule.nodataSeconds < step) {
    notes.push(`nodata ${formatDuration(rule.nodataSeconds)} is shorter than the rows' step ${at}: silence is seen only where a whole row is unknown`);
  }
  if (rule.forSeconds > 0 && rule.forSeconds < step) {
    notes.push(`for ${formatDuration(rule.forSeconds)} is shorter than the rows' step ${at}: one bad row is held ${at}`);
  }
  if (rule.renotifySeconds !== undefined && rule.renotifySeconds % step !== 0) {
    notes.push(`renotify ${formatDuration(rule.renotifySeconds)} is not a whole number of rows of ${at}: reminders are counted at the next row`);
  }
  return notes;
}
