/**
 * A rule over a set of good values in a sliding window, for series whose
 * values are codes (a node's state: 6 up, 5 degraded, 3 down...): `all` —
 * good only while every value of the last `window` is in the set; `any` —
 * good while at least one is. The level it raises is the rule's.
 *
 * Semantics, per series, at a sample at time t (the window is (t − W, t]):
 *
 * - all: bad once a value in the window is outside the set; good again at
 *   the first sample whose window holds no such value. any: bad once no
 *   value in the window is in the set; good again at the first value in it.
 * - Only values count: null and NaN are not values, and a gap leaves the
 *   window with the values that did come (a 5 followed by an hour of
 *   silence is out of a one-minute window at the next sample).
 * - The window is covered once the series has been watched for W (from its
 *   first sample here: at start, after a restart or a reload, the window's
 *   earlier values are not known). Until then, the window decides only
 *   what its values already settle — `all` is bad at a value outside the
 *   set, `any` is good at a value inside — and otherwise the status stays:
 *   a new series is OK until `any` has seen a whole window of bad values,
 *   and a restored bad status clears only after a whole window of good.
 * - Back from NODATA, the values count at once, as thresholds' do (the
 *   series was not OK already): nothing is waited for.
 * - `for` and hysteresis do not apply (the config refuses them beside a
 *   set): the window is the delay.
 *
 * Memory is four numbers a series, whatever the window and the cadence:
 * `all` needs only the time of the last value outside the set, `any` the
 * time of the last value inside it.
 */
import { formatDuration } from '../../lib/duration.js';
import type { DeepReadonly } from '../config-schema/index.js';
import type { StateSetSetting } from './state-set-setting.js';
import type { Level } from './level.js';
import type { StateSetRule } from './model.js';

export function compileStateSet(setting: DeepReadonly<StateSetSetting> | undefined): StateSetRule | undefined {
  if (setting === undefined) return undefined;
  return Object.freeze({
    ok: Object.freeze([...new Set(setting.ok)].sort((a, b) => a - b)),
    windowSeconds: setting.window,
    require: setting.require,
    level: setting.level === 'warning' ? 'WARNING' : 'CRITICAL',
  });
}

/** Each rule's set, built once and shared by its series (a Set per series would cost more than the window itself). */
const okSets = new WeakMap<StateSetRule, ReadonlySet<number>>();

function okSetOf(rule: StateSetRule): ReadonlySet<number> {
  let set = okSets.get(rule);
  if (set === undefined) okSets.set(rule, (set = new Set(rule.ok)));
  return set;
}

/** One series' window: what it has seen of the set, and where a sample leaves it. */
export class StateWindow {
  private readonly ok: ReadonlySet<number>;
  /** The first sample time since the window was last started; NaN before it. */
  private watchedFrom = NaN;
  private lastInAt = -Infinity;
  private lastOutAt = -Infinity;
  private lastOutValue = NaN;
  /** The first time of the current run of values outside the set; NaN while the last value is in it. */
  private outRunFrom = NaN;

  constructor(readonly rule: StateSetRule) {
    this.ok = okSetOf(rule);
  }

  /** Forgets the values seen (the series went NODATA): the next sample starts the window. */
  restart(): void {
    this.watchedFrom = NaN;
    this.lastInAt = -Infinity;
    this.lastOutAt = -Infinity;
    this.lastOutValue = NaN;
    this.outRunFrom = NaN;
  }

  /**
   * Takes a value at `time` (in time order); the level the window is at, or
   * undefined when it is not covered yet and its values settle nothing.
   * `judgeNow`: decide on the values seen even so (back from NODATA).
   */
  add(time: number, value: number, judgeNow: boolean): Level | undefined {
    if (Number.isNaN(this.watchedFrom)) this.watchedFrom = time;
    if (this.ok.has(value)) {
      this.lastInAt = time;
      this.outRunFrom = NaN;
    } else {
      this.lastOutAt = time;
      this.lastOutValue = value;
      if (Number.isNaN(this.outRunFrom)) this.outRunFrom = time;
    }
    const start = time - this.rule.windowSeconds;
    const settled = judgeNow || this.watchedFrom <= start;
    if (this.rule.require === 'all') {
      if (this.lastOutAt > start) return this.rule.level;
      return settled ? 'OK' : undefined;
    }
    if (this.lastInAt > start) return 'OK';
    return settled ? this.rule.level : undefined;
  }

  /**
   * For `any`, while the values since `since` are all outside the set: the
   * window fails once they fill it (the API's pending); NaN otherwise. An
   * `all` window fails at once, so it has nothing pending.
   */
  pendingSince(): number {
    return this.rule.require === 'any' ? this.outRunFrom : NaN;
  }

  /**
   * The value to show for a bad window, and what it broke (`5 not in {6}`):
   * for `all` the last value outside the set, for `any` `latest` (every
   * value of the window is outside it).
   */
  breach(latest: number): { value: number; text: string } {
    const set = `{${this.rule.ok.map(String).join(', ')}}`;
    if (this.rule.require === 'all' && !Number.isNaN(this.lastOutValue)) return { value: this.lastOutValue, text: `${this.lastOutValue} not in ${set}` };
    return { value: latest, text: `${latest} not in ${set}, nor any value for ${formatDuration(this.rule.windowSeconds)}` };
  }
}
