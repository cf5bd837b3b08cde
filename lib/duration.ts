/**
 * ringmon's one duration grammar and its formatters. Every duration a person
 * writes (server config, agent.yaml, slurper instances, rrdtool-style DS and
 * RRA strings, CLI options) is read here, and every duration shown to a
 * person is written here. docs/configuration.md ("Durations and sizes")
 * documents the grammar for users.
 *
 *   duration := seconds | term+
 *   seconds  := a number (`90`, `1.5`): that many seconds
 *   term     := number unit, units from the largest to the smallest, each
 *               at most once (`1h30m`, `2d12h`, `1.5s`, `500ms`)
 *
 * Units (case matters only for M): ms; s sec secs second seconds;
 * m min mins minute minutes; h hr hrs hour hours; d day days;
 * w wk wks week weeks; M mon mons month months; y yr yrs year years.
 * These are rrdtool's (rrd_scaled_duration) and Graphite's suffixes, with
 * rrdtool's fixed lengths: a month is 31 days and a year 366 days, so that
 * a rows count of `1y` always covers a calendar year.
 *
 * Results are seconds, fractions allowed (`250ms` → 0.25); decimal numbers
 * are scaled exactly (`1.1h` → 3960, not 3960.0000000000005). Zero is a
 * duration; negative text is not. Callers that need whole seconds, a
 * positive value or a range check that themselves and name their key.
 *
 * Pure: imports nothing, so the web client may use it too.
 */

/** Milliseconds per unit, with every name each unit goes by. Largest first: terms must follow this order. */
const UNITS: ReadonlyArray<readonly [ms: number, names: readonly string[]]> = [
  [366 * 86_400_000, ['y', 'yr', 'yrs', 'year', 'years']],
  [31 * 86_400_000, ['M', 'mon', 'mons', 'month', 'months']],
  [7 * 86_400_000, ['w', 'wk', 'wks', 'week', 'weeks']],
  [86_400_000, ['d', 'day', 'days']],
  [3_600_000, ['h', 'hr', 'hrs', 'hour', 'hours']],
  [60_000, ['m', 'min', 'mins', 'minute', 'minutes']],
  [1000, ['s', 'sec', 'secs', 'second', 'seconds']],
  [1, ['ms']],
];

/** How a message says what a duration may look like. */
export const DURATION_FORMS = 'seconds, or a number with a unit ms s m h d w M y: 30s, 5m, 1h30m';

/** A unit of the grammar: its short name (`h` for hours), rank (0 = years, the largest) and length in seconds. */
export interface DurationUnit {
  readonly name: string;
  readonly rank: number;
  readonly seconds: number;
}

/** The unit `name` (any of its names) stands for; undefined for an unknown name. */
export function durationUnit(name: string): DurationUnit | undefined {
  const rank = UNITS.findIndex(([, names]) => names.includes(name));
  return rank === -1 ? undefined : { name: UNITS[rank][1][0], rank, seconds: UNITS[rank][0] / 1000 };
}

/** `digits[.digits]` times `unitMs`, exactly: the decimal is scaled as an integer before dividing. */
function scaled(number: string, unitMs: number): number {
  const [whole, fraction = ''] = number.split('.');
  return (Number(whole + fraction) * unitMs) / 10 ** fraction.length;
}

/**
 * The seconds `text` stands for, or the problem with it as a sentence that
 * quotes the text (`'5x' has trailing garbage 'x' ...`), for callers to
 * prefix with their key.
 */
export function readDuration(text: string): number | string {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const term = /(\d+(?:\.\d+)?)([A-Za-z]+)/y;
  let ms = 0;
  let lastRank = -1;
  let at = 0;
  while (at < s.length) {
    term.lastIndex = at;
    const m = term.exec(s);
    if (m === null && at === 0) return `'${text}' is not a duration (${DURATION_FORMS})`;
    const unit = m === null ? undefined : durationUnit(m[2]);
    if (m === null || unit === undefined) {
      const garbage = s.slice(m === null ? at : at + m[1].length);
      return `'${text}' has trailing garbage '${garbage}' (${DURATION_FORMS})`;
    }
    if (unit.rank <= lastRank) return `'${text}': units must go from the largest to the smallest, each once (1h30m, not 30m1h)`;
    lastRank = unit.rank;
    ms += scaled(m[1], UNITS[unit.rank][0]);
    at = term.lastIndex;
  }
  if (at === 0) return `'${text}' is not a duration (${DURATION_FORMS})`;
  const seconds = ms / 1000;
  return Number.isFinite(seconds) ? seconds : `'${text}' is out of range`;
}

/** The seconds `value` stands for: a number as it is (when finite), text by the grammar; undefined when it is neither. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const seconds = readDuration(value);
  return typeof seconds === 'number' ? seconds : undefined;
}

/** The units formatDuration writes: w d h m s ms. M and y are left out, as 31 and 366 days would surprise a reader. */
const FORMAT_UNITS: ReadonlyArray<readonly [string, number]> = UNITS.slice(2).map(([ms, names]) => [names[0], ms]);

/** `ms` as terms of the units from FORMAT_UNITS[top] down, zero terms left out: 5400000 from h → `1h30m`. */
function terms(ms: number, top: number): string {
  let rest = ms;
  let text = '';
  for (const [name, size] of FORMAT_UNITS.slice(top)) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) text += `${count}${name}`;
  }
  return text;
}

/**
 * The shortest text the grammar reads back as exactly `seconds`: 3d, 90m,
 * 1d1s, 1.5s, 500ms, 0s. For config error messages and anything a person
 * may copy back into a file. Whole milliseconds use units w d h m s ms, or
 * decimal seconds above one second (the fewest characters, larger units on
 * a tie); anything finer than a millisecond is written as seconds.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds < 0) return `-${formatDuration(-seconds)}`;
  if (seconds === 0) return '0s';
  const ms = Math.round(seconds * 1000);
  if (ms / 1000 !== seconds || !Number.isSafeInteger(ms)) return `${seconds}s`;
  // A fraction of a second above one second may read better as a decimal: 1.5s, not 1500ms.
  let best = seconds >= 1 && !Number.isInteger(seconds) ? `${seconds}s` : '';
  for (let top = 0; top < FORMAT_UNITS.length; top++) {
    const text = terms(ms, top);
    if (best === '' || text.length < best.length) best = text;
  }
  return best;
}

/** The units formatElapsed writes; days are the largest, as in "12d 3h". */
const ELAPSED_UNITS = FORMAT_UNITS.slice(1, 5);

/**
 * How long something has lasted, for people reading a notice or a report:
 * the two largest units of d h m s that are not zero, of the two largest
 * places, rounded down: `3d 4h`, `3d` (for 3d 0h 5s), `12m 5s`, `0s`. Two
 * are enough to tell a fresh problem from an old one. Negative is `0s`.
 */
export function formatElapsed(seconds: number): string {
  let rest = Math.max(0, Math.floor(seconds)) * 1000;
  const parts: string[] = [];
  for (const [name, size] of ELAPSED_UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count}${name}`);
    if (parts.length === 2) break;
  }
  const shown = parts.filter((part) => !part.startsWith('0'));
  return shown.length === 0 ? '0s' : shown.join(' ');
}
