/**
 * Sample times, from what callers give to the whole seconds and
 * microseconds an archive keeps: the one conversion every path uses (the
 * engine, `ringmon archive update`, the server's ingest).
 *
 * rrdtool 1.7 reads an update's time text with its own decimal parser
 * (rrd_strtod, not correctly rounded), then splits the double: whole
 * seconds by floor, microseconds as (time - seconds) * 1e6 truncated. So
 * `1699999950.1` is 1699999950 s + 99999 µs (the double is a hair below .1),
 * and `1700000291.568` is 567999 µs where Number() would give 568000.
 * Text times here are read with the same parser, so they land on the same
 * microsecond as in rrdtool, and every rate and fetch agrees to its bits.
 *
 * A time given as a number is split by the same rule but not re-read: a
 * double is already a double (JSON.parse and arithmetic make it correctly
 * rounded), ringmon cannot know what text it came from, and printing it to
 * re-read it with rrdtool's parser would move a time the caller chose
 * (`"t": 1700000291.568` in JSON is the double nearest .568 s and stays
 * 568000 µs). Values are treated alike (sample-values.ts).
 */
import { parseDecimal } from './value-text.js';

/** A time as an archive keeps it. */
export interface SplitTime {
  /** Whole Unix seconds. */
  readonly seconds: number;
  /** Microseconds past `seconds`, 0-999999. */
  readonly usec: number;
}

/**
 * The Unix time that rrdtool 1.7's update reads from `text` (its
 * rrd_strtodbl: blanks, sign, digits, point, exponent, nothing after), or
 * undefined when it is not such a number. rrdtool also takes "nan" and
 * "inf" here and then converts them to time_t, which C leaves undefined;
 * they are refused. A negative time,
 * which rrdtool's command line counts back from now, is returned as it is:
 * the caller decides what it means.
 */
export function parseTimeText(text: string): number | undefined {
  const time = parseDecimal(text);
  return time !== undefined && Number.isFinite(time) ? time : undefined;
}

/** rrdtool's split of a time: floor for the seconds, the microseconds truncated. */
export function splitTime(time: number): SplitTime {
  const seconds = Math.floor(time);
  return { seconds, usec: Math.trunc((time - seconds) * 1e6) };
}

/** A time as one integer count of microseconds (exact before the year 2255), for ordering times as an archive does. */
export function microsecondKey(time: number): number {
  const { seconds, usec } = splitTime(time);
  return seconds * 1e6 + usec;
}
