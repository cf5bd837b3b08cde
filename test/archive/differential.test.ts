/**
 * Differential tests against rrdtool 1.7, the archive engine's main
 * correctness proof. Each scenario is a random definition (1-4 DSs of every
 * type, 1-5 RRAs of every CF) and 10-300 random updates (irregular and
 * sub-second times given as numbers and as decimal text, gaps past the
 * heartbeat and past whole RRAs, unknowns, out-of-range values, counter
 * wraps and resets, numbers as text), fed to
 * rrdtool (one `rrdtool -` process per scenario) and to ringmon. They must
 * agree on:
 *   - every refusal (stale times, malformed values, wrong value counts), with
 *     ringmon's file left byte-identical;
 *   - the live state after every update call (rrdtool info: last_update,
 *     last_ds, PDP value and unknown seconds, CDP value and unknown PDPs);
 *   - fetches of every CF, present or not, over several windows and
 *     resolutions, at checkpoints during the updates and after them: the same
 *     rows, times, step and values (within rrdtool's 11 printed digits).
 *
 * Environment: RINGMON_DIFF_RUNS (scenarios, default 800), RINGMON_DIFF_TIME_LIMIT
 * (seconds), RINGMON_DIFF_STATS=1 (print what was covered), RINGMON_DIFF_SEED
 * with RINGMON_DIFF_PATH (replay a failure). The seed is random on each run;
 * a failure prints it, the shrunk scenario, and an rrdtool script reproducing
 * the mismatch.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  ArchiveError,
  archiveInfo,
  createArchive,
  fetchArchive,
  openArchive,
  parseTimeText,
  splitTime,
  updateArchive,
  type ArchiveDefinition,
  type ConsolidationFunction,
  type DataSourceDefinition,
  type DsType,
  type FetchResult,
  type RraDefinition,
  type SampleValue,
} from '../../archive/index.js';
import {
  ALL_CFS,
  createCommand,
  fetchCommand,
  infoCommand,
  parseFetch,
  parseInfo,
  parseRrdNumber,
  rrdtoolAvailable,
  sameNumber,
  runRrdtool,
  timeText,
  updateCommand,
  type Reply,
  type RrdFetch,
} from './rrdtool-oracle.js';

const RUNS = Number(process.env.RINGMON_DIFF_RUNS ?? 800);
/** RINGMON_DIFF_STATS=1 prints what the runs covered. */
const STATS = process.env.RINGMON_DIFF_STATS ? new Map<string, number>() : undefined;
function count(key: string, n = 1): void {
  STATS?.set(key, (STATS.get(key) ?? 0) + n);
}
const HAVE_RRDTOOL = rrdtoolAvailable();
/** RINGMON_DIFF_SEED and RINGMON_DIFF_PATH (both printed on failure) replay a failing scenario. */
const REPLAY = process.env.RINGMON_DIFF_SEED
  ? { seed: Number(process.env.RINGMON_DIFF_SEED), path: process.env.RINGMON_DIFF_PATH, endOnFailure: true }
  : {};
/** RINGMON_DIFF_TIME_LIMIT (seconds, default 600) bounds the run, shrinking included. */
const TIME_LIMIT_MS = 1000 * Number(process.env.RINGMON_DIFF_TIME_LIMIT ?? 600);

// ---------------------------------------------------------------------------
// Raw material drawn by fast-check. Scenarios are built from it by pure
// functions, so shrinking the raw material shrinks the scenario.

/** Uniform in [0, 1); fc.double spreads over exponents, giving mostly tiny numbers. */
const unit = fc.integer({ min: 0, max: 2 ** 30 - 1 }).map((v) => v / 2 ** 30);

const dsRaw = fc.record({
  type: fc.constantFrom<DsType>('GAUGE', 'COUNTER', 'DERIVE', 'ABSOLUTE', 'DCOUNTER', 'DDERIVE'),
  hbKind: fc.integer({ min: 0, max: 9 }),
  hbX: unit,
  limKind: fc.integer({ min: 0, max: 9 }),
  limA: fc.integer({ min: 0, max: 7 }),
  limB: fc.integer({ min: 0, max: 7 }),
  /** COUNTER: wraps at 2^64 rather than 2^32. */
  wide: fc.boolean(),
});

const rraRaw = fc.record({
  cf: fc.constantFrom<ConsolidationFunction>(...ALL_CFS),
  xffKind: fc.integer({ min: 0, max: 9 }),
  xffK: fc.integer({ min: 0, max: 99 }),
  pdpPerRow: fc.integer({ min: 1, max: 10 }),
  rows: fc.integer({ min: 1, max: 50 }),
  twin: fc.integer({ min: 0, max: 5 }).map((v) => v === 0),
});

const valueRaw = fc.record({
  mode: fc.integer({ min: 0, max: 39 }),
  x: unit,
  k: fc.nat({ max: 0x7fff_ffff }),
  repr: fc.integer({ min: 0, max: 3 }),
});

const badRaw = fc.record({ kind: fc.integer({ min: 0, max: 3 }), k: fc.nat({ max: 0x7fff_ffff }) });

const sampleRaw = fc.record({
  gapKind: fc.integer({ min: 0, max: 79 }),
  gapX: unit,
  /** 0-1 whole seconds, 2 binary fractions, 3 any microsecond, 4-5 decimal text. */
  fracKind: fc.integer({ min: 0, max: 5 }),
  fracK: fc.nat({ max: 999_999 }),
  /** Decimal text: digits after the point (with fracK, then fracTail), and how the text is written. */
  decimals: fc.integer({ min: 1, max: 12 }),
  fracTail: fc.nat({ max: 999_999 }),
  textForm: fc.integer({ min: 0, max: 3 }),
  values: fc.array(valueRaw, { minLength: 4, maxLength: 4 }),
  cut: fc.integer({ min: 0, max: 9 }),
  check: fc.integer({ min: 0, max: 24 }),
  bad: fc.oneof({ weight: 15, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: badRaw }),
});

const windowRaw = fc.record({
  anchor: fc.integer({ min: 0, max: 10 }),
  a: unit,
  b: unit,
  resKind: fc.integer({ min: 0, max: 5 }),
  k: fc.nat({ max: 1000 }),
});

const scenarioRaw = fc.record({
  step: fc.oneof(fc.integer({ min: 1, max: 600 }), fc.constantFrom(1, 2, 5, 10, 60, 300)),
  ds: fc.array(dsRaw, { minLength: 1, maxLength: 4 }),
  rras: fc.array(rraRaw, { minLength: 1, maxLength: 5 }),
  startBase: fc.integer({ min: 1_000_000_000, max: 1_700_000_000 }),
  aligned: fc.boolean(),
  /** No extreme values (huge, tiny, infinite, NaN text) in a quarter of the scenarios. */
  tame: fc.integer({ min: 0, max: 3 }),
  // size 'max': lengths spread over the whole range rather than biased small.
  samples: fc.array(sampleRaw, { minLength: 10, maxLength: 300, size: 'max' }),
  windows: fc.array(windowRaw, { minLength: 3, maxLength: 6 }),
});
type ScenarioRaw = typeof scenarioRaw extends fc.Arbitrary<infer T> ? T : never;
type ValueRaw = typeof valueRaw extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------
// Building a scenario.

interface TimedSample {
  readonly time: number;
  readonly timeText: string;
  readonly values: SampleValue[];
  readonly texts: string[];
}

type Op =
  | { readonly kind: 'update'; readonly samples: TimedSample[] }
  | { readonly kind: 'refused'; readonly why: string; readonly sample: TimedSample }
  /** Fetch these of the scenario's windows, placed relative to the last update so far. */
  | { readonly kind: 'check'; readonly windows: number[] };

interface Window {
  readonly start: number;
  readonly end: number;
  readonly resolution: number;
  /** Follows a window that may get a one-row answer: same start, later end, so the same RRA and step. */
  readonly probe?: boolean;
}

interface Scenario {
  readonly def: ArchiveDefinition;
  readonly start: number;
  readonly ops: Op[];
}

const LIMIT_VALUES = [0, 0.5, 100, 1e4, 1e6, 1e9, 1e12, 1e15];

function buildDataSource(raw: ScenarioRaw['ds'][number], i: number, step: number): DataSourceDefinition {
  const x = raw.hbX;
  const kind = raw.hbKind;
  const heartbeat =
    kind === 0
      ? Math.max(1, Math.floor(x * step)) // sometimes shorter than step
      : kind <= 3
        ? step + Math.floor(x * 2 * step)
        : kind <= 7
          ? 3 * step + Math.floor(x * 17 * step)
          : 20 * step + Math.floor(x * 180 * step);
  let min = NaN;
  let max = NaN;
  const a = LIMIT_VALUES[raw.limA];
  const b = LIMIT_VALUES[raw.limB];
  switch (raw.limKind) {
    case 6:
      min = -a;
      break;
    case 7:
      min = a;
      break;
    case 8:
      max = b;
      break;
    case 9:
      min = -a;
      max = b > min ? b : min + 1;
      break;
  }
  if (Object.is(min, -0)) min = 0;
  return { name: `ds${i}`, type: raw.type, heartbeat, min, max };
}

/** An RRA spanning the same time as `rra` at half the resolution, so that fetch must break ties. */
function twinRra(rra: RraDefinition): RraDefinition {
  return { ...rra, pdpPerRow: rra.pdpPerRow * 2, rows: Math.max(1, Math.floor(rra.rows / 2)) };
}

function buildRra(raw: ScenarioRaw['rras'][number]): RraDefinition {
  const xff = [0, 0, 0.5, 0.5, 0.5, 0.99, 0.99, raw.xffK / 100, raw.xffK / 100, raw.xffK / 100][raw.xffKind];
  return { cf: raw.cf, xff, pdpPerRow: raw.pdpPerRow, rows: raw.rows };
}

/** Per-DS generator state: the running counter or value. */
interface DsState {
  counter: bigint;
  float: number;
}

const TWO_32 = 1n << 32n;
const TWO_64 = 1n << 64n;

function integerForm(v: bigint, repr: number, signed = false): { value: SampleValue; text: string } {
  if (signed && v === 0n && repr === 3) return { value: '-0', text: '-0' }; // negative zero to rrd_diff
  const text = v.toString();
  if (repr === 1) return { value: text, text };
  if (repr === 2 && Number.isSafeInteger(Number(v)) && BigInt(Number(v)) === v) return { value: Number(v), text };
  return { value: v, text };
}

function unknownForm(repr: number): { value: SampleValue; text: string } {
  return { value: [null, 'U', NaN, undefined][repr], text: 'U' };
}

/** A JS number given to ringmon as a number is written by rrdtool users as String(v). */
function numberForm(v: number, repr: number, k: number): { value: SampleValue; text: string } {
  if (Number.isNaN(v)) return unknownForm(repr);
  const text = v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v);
  if (repr === 1 && Number.isFinite(v)) {
    const s = v.toExponential(k % 17);
    return { value: s, text: s };
  }
  if (repr === 2) return { value: text, text };
  return { value: v, text };
}

/** The same value given to ringmon as the text rrdtool gets. */
function asText(form: { value: SampleValue; text: string }): { value: SampleValue; text: string } {
  return typeof form.value === 'number' ? { value: form.text, text: form.text } : form;
}

/** Value modes 0-39; modes from WILD_MODE on give extreme values and are off in tame scenarios. */
const WILD_MODE = 36;

function buildValue(type: DsType, wide: boolean, s: DsState, raw: ValueRaw, tame: boolean): { value: SampleValue; text: string } {
  const { x, k, repr } = raw;
  const mode = tame && raw.mode >= WILD_MODE ? raw.mode % 10 : raw.mode;
  switch (type) {
    case 'COUNTER': {
      const width = wide ? TWO_64 : TWO_32;
      if (mode === 30 || mode === 31) return unknownForm(repr);
      if (mode < 30) s.counter += BigInt(Math.floor(x * [10, 1000, 1e5, 1e7, 1e9][k % 5]));
      else if (mode <= 33) s.counter = width - BigInt(1 + (k % 1000)); // about to wrap
      else if (mode === 34) s.counter = BigInt(k % 1000); // reset
      else if (mode === 35) s.counter += BigInt(k % 50);
      else if (mode <= 37) s.counter = (BigInt(k) * TWO_32 + BigInt(Math.floor(x * 2 ** 32))) % TWO_64; // a jump
      else s.counter = 10n ** 24n + BigInt(k); // longer than 64 bits: rrdtool subtracts decimal strings
      if (s.counter >= width && s.counter < 10n ** 24n) s.counter -= width; // wraps at 2^32 or 2^64
      return integerForm(s.counter, repr);
    }
    case 'DERIVE': {
      if (mode === 30 || mode === 31) return unknownForm(repr);
      if (mode < 30) s.counter += BigInt(Math.round((x - 0.4) * [10, 1e3, 1e6, 1e9][k % 4]));
      else if (mode === 32) s.counter = -s.counter; // crosses zero
      else if (mode === 33) s.counter = 0n;
      else if (mode <= 35) s.counter -= BigInt(k % 100); // going down
      else s.counter = BigInt(k) * 1_000_000n - 2n ** 50n;
      return integerForm(s.counter, repr, true);
    }
    case 'GAUGE':
    case 'ABSOLUTE': {
      if (mode < 10) return numberForm(k % 1000, repr, k);
      if (mode < 20) return numberForm((x - 0.3) * [1, 100, 1e4, 1e-3][k % 4], repr, k);
      if (mode < 23) {
        const forms = [
          `${k % 10}e${k % 7}`,
          `${k % 100}E-${k % 5}`,
          `${(x * 1000).toFixed(k % 4)}e+${k % 3}`,
          `.${k % 1000}`,
          `${k % 100}.`,
          `${k % 100}e`, // rrdtool reads an empty exponent as 0
          `-${k % 100}e+`,
          `+${k % 1000}`,
        ];
        const t = forms[(repr + k) % forms.length];
        return { value: t, text: t };
      }
      if (mode === 23) {
        const t = (x * 1e6 - 2e5).toFixed(k % 13); // many digits
        return { value: t, text: t };
      }
      if (mode < 26) return unknownForm(repr);
      if (mode === 26) return numberForm((k % 1000) - 500, repr, k);
      if (mode === 27) return numberForm([0, -0, 1, -1][k % 4], repr, k);
      if (mode < WILD_MODE) return numberForm(k % 100, repr, k);
      if (mode === 36) return numberForm((x - 0.5) * [1e300, 1e15][k % 2], repr, k); // huge
      if (mode === 37) {
        const tiny = ['1e-320', '4.9e-324', '2.5e-310', '1e-300'][k % 4];
        // rrdtool's parser loses digits on subnormals, so both get the same text.
        return repr % 2 === 0 ? { value: tiny, text: tiny } : asText(numberForm(x * 1e-300, 0, k));
      }
      if (mode === 38) {
        // rrdtool reads any text without digits that starts with one of these as NaN or infinity.
        const t = ['nan', 'NaN', 'inf', '-inf', 'Inf', '-nan', 'INF', 'Infinity', 'nan(1)x', '-infinite'][k % 10];
        return { value: t, text: t };
      }
      return numberForm([Infinity, -Infinity, NaN, 0][k % 4], repr, k);
    }
    case 'DCOUNTER':
    case 'DDERIVE': {
      if (mode === 30 || mode === 31) return unknownForm(repr);
      const scale = [1, 100, 1e4, 1e-3][k % 4];
      if (mode < 30) s.float += (type === 'DCOUNTER' ? x : x - 0.4) * scale;
      else if (mode === 32) s.float = x * 10; // a reset when counting up
      else if (mode === 33) s.float = -Math.abs(s.float) - x; // counting down
      else if (mode < WILD_MODE) s.float -= x * scale;
      else s.float = (x - 0.5) * 1e12;
      // ringmon takes a number exactly, rrdtool reads its text with a parser
      // that is off in the last bits; a difference of two nearby large values
      // magnifies that past any tolerance. Both get the same text here.
      return asText(numberForm(s.float, repr, k));
    }
    default: {
      const never: never = type;
      throw new Error(`unhandled ${String(never)}`);
    }
  }
}

const BAD_VALUES: Partial<Record<DsType, string[]>> = {
  COUNTER: ['1.5', 'abc', '-5', '1e3', '12a', '+5', '0x1F'],
  DERIVE: ['1.5', 'abc', '--5', '5-', '1e3', '+5'],
  GAUGE: ['abc', '1,5', '5x', '0x10', '-', '.', '+inf', '1e-1022', '1e1025', '', 'e5', '1..2', '++1'],
  ABSOLUTE: ['abc', '1,5', '5x', '+inf', '1e-1022', '1e1025', '', '-.', '+nan', '5nan', '1e5.5'],
};

function timed(seconds: number, micros: number): { time: number; text: string } | undefined {
  const time = seconds + micros / 1e6;
  const text = timeText(time);
  return text === undefined ? undefined : { time, text };
}

/**
 * A time written as decimal text, as a user or a script writes it: `seconds`
 * and a fraction of `decimals` digits (".1", ".5", ".568", 12 digits...),
 * plainly, with trailing zeros (more digits to round), in exponent form, or
 * with a sign and a leading zero. ringmon gets the time
 * that parseTimeText reads from it, rrdtool the text: they must land on the
 * same microsecond, which Number()'s correctly rounded reading often misses.
 */
function decimalTime(seconds: number, raw: ScenarioRaw['samples'][number]): { time: number; text: string } {
  const digits = (String(raw.fracK).padStart(6, '0') + String(raw.fracTail).padStart(6, '0')).slice(0, raw.decimals);
  const whole = String(seconds);
  const text = [
    `${whole}.${digits}`,
    `${whole}.${digits}000`,
    `${whole[0]}.${whole.slice(1)}${digits}e${whole.length - 1}`,
    `+0${whole}.${digits}`,
  ][raw.textForm];
  count('decimal text times');
  return { time: parseTimeText(text)!, text };
}

/** Whether time a comes after time b as an archive orders them (whole seconds, then truncated microseconds). */
function after(a: number, b: number): boolean {
  const x = splitTime(a);
  const y = splitTime(b);
  return x.seconds > y.seconds || (x.seconds === y.seconds && x.usec > y.usec);
}

/** Seconds to the next update, by kind (0-79, weighted by how many kinds share a case). */
function gap(kind: number, x: number, step: number, heartbeats: number[], maxSpan: number): number {
  if (kind < 48) return 1 + Math.floor(x * step); // within one step
  if (kind < 54) return 0; // a sub-second update
  if (kind < 62) return Math.floor((x * step) / 2);
  if (kind < 70) return step + Math.floor(x * 2 * step); // a few steps
  if (kind < 74) return Math.max(0, Math.min(...heartbeats) + Math.floor(x * step) - Math.floor(step / 2)); // around the shortest heartbeat
  if (kind < 76) return heartbeats[0]; // exactly the first DS's heartbeat
  if (kind < 78) return Math.max(...heartbeats) + 1 + Math.floor(x * 2 * Math.max(...heartbeats)); // longer than every heartbeat
  return maxSpan + Math.floor(x * maxSpan); // longer than a whole RRA
}

function buildScenario(raw: ScenarioRaw): Scenario {
  const step = raw.step;
  const def: ArchiveDefinition = {
    step,
    dataSources: raw.ds.map((d, i) => buildDataSource(d, i, step)),
    rras: raw.rras.map((r, i) => (r.twin && i > 0 ? twinRra(buildRra(raw.rras[i - 1])) : buildRra(r))),
  };
  const start = raw.aligned ? raw.startBase - (raw.startBase % step) : raw.startBase;
  const heartbeats = def.dataSources.map((d) => d.heartbeat);
  const maxSpan = Math.max(...def.rras.map((r) => r.pdpPerRow * r.rows * step));
  const dsStates: DsState[] = def.dataSources.map((_, i) => ({ counter: BigInt(i * 1000), float: i }));

  const ops: Op[] = [];
  let batch: TimedSample[] = [];
  const flush = (): void => {
    if (batch.length > 0) ops.push({ kind: 'update', samples: batch });
    batch = [];
  };
  let seconds = start;
  let micros = 0;
  let prev = { time: start, text: String(start) };
  for (const s of raw.samples) {
    if (s.bad) {
      flush();
      ops.push(buildRefused(def, s.bad, prev, seconds, micros));
    }
    let delta = gap(s.gapKind, s.gapX, step, heartbeats, maxSpan);
    let next: { time: number; text: string } | undefined;
    if (s.fracKind >= 4) {
      next = decimalTime(seconds + delta, s);
      // Text may read a hair below its whole second (12 digits of ".000000000001" in exponent form): order by the split.
      if (!after(next.time, prev.time)) next = decimalTime(seconds + Math.max(delta, 1) + 1, s);
    } else {
      let frac = [0, 0, (s.fracK % 64) * 15_625, s.fracK][s.fracKind];
      if (delta === 0 && frac <= micros + 1) delta = 1;
      next = timed(seconds + delta, frac);
      if (!next) {
        frac = 0;
        if (delta === 0) delta = 1;
        next = timed(seconds + delta, frac)!;
      }
    }
    ({ seconds, usec: micros } = splitTime(next.time));
    const built = def.dataSources.map((d, i) => buildValue(d.type, raw.ds[i].wide, dsStates[i], s.values[i], raw.tame === 0));
    batch.push({ time: next.time, timeText: next.text, values: built.map((b) => b.value), texts: built.map((b) => b.text) });
    prev = next;
    if (s.cut === 0 || s.check === 0) flush();
    if (s.check === 0) {
      // Midway checks see history that later updates push out of the RRAs.
      const n = raw.windows.length;
      ops.push({ kind: 'check', windows: [ops.length % n, (ops.length + 1) % n] });
    }
  }
  flush();
  ops.push({ kind: 'check', windows: raw.windows.map((_, i) => i) });
  return { def, start, ops };
}

function buildRefused(
  def: ArchiveDefinition,
  bad: { kind: number; k: number },
  prev: { time: number; text: string },
  seconds: number,
  micros: number,
): Op {
  const n = def.dataSources.length;
  const unknowns = (count: number): { values: SampleValue[]; texts: string[] } => ({
    values: new Array<SampleValue>(count).fill(null),
    texts: new Array<string>(count).fill('U'),
  });
  const ds0 = def.dataSources[0];
  const badValues = BAD_VALUES[ds0.type];
  let kind = bad.kind;
  if (kind === 2 && !badValues) kind = 0;
  switch (kind) {
    case 0: // the same time as the last update
      return { kind: 'refused', why: 'time equal to the last update', sample: { time: prev.time, timeText: prev.text, ...unknowns(n) } };
    case 1: {
      const t = timed(seconds - 1 - (bad.k % 1000), micros) ?? timed(seconds - 1 - (bad.k % 1000), 0)!;
      return { kind: 'refused', why: 'time before the last update', sample: { time: t.time, timeText: t.text, ...unknowns(n) } };
    }
    case 2: {
      // Within DS 0's heartbeat, so that rrdtool parses the value (it skips parsing otherwise),
      // and in DS 0, because rrdtool has already changed the DSs before the bad one when it refuses.
      const t = timed(seconds + 1 + (bad.k % ds0.heartbeat), micros) ?? timed(seconds + 1 + (bad.k % ds0.heartbeat), 0)!;
      const text = badValues![bad.k % badValues!.length];
      const rest = unknowns(n - 1);
      return {
        kind: 'refused',
        why: `malformed ${ds0.type} value '${text}'`,
        sample: { time: t.time, timeText: t.text, values: [text, ...rest.values], texts: [text, ...rest.texts] },
      };
    }
    default: {
      const count = n === 1 || bad.k % 2 === 0 ? n + 1 : n - 1;
      const t = timed(seconds + 1, micros) ?? timed(seconds + 1, 0)!;
      return { kind: 'refused', why: `${count} values for ${n} DSs`, sample: { time: t.time, timeText: t.text, ...unknowns(count) } };
    }
  }
}

/** Fetch windows, placed relative to the data once the last update is known. */
function buildWindows(raw: ScenarioRaw['windows'], def: ArchiveDefinition, start: number, last: number): Window[] {
  const step = def.step;
  const rowSeconds = def.rras.map((r) => r.pdpPerRow * step);
  const spans = def.rras.map((r) => r.pdpPerRow * r.rows * step);
  const maxRow = Math.max(...rowSeconds);
  const maxSpan = Math.max(...spans);
  // At most 1500 rows at the finest resolution, and not much more than the RRAs hold.
  const cap = Math.min(1500 * step, 2 * maxSpan + maxRow);
  const windows: Window[] = [];
  for (const w of raw) {
    const r = w.k % def.rras.length;
    let s: number;
    let e: number;
    switch (w.anchor) {
      case 0: // all data, and a little more
        s = start - Math.floor(w.a * maxRow);
        e = last + Math.floor(w.b * maxRow);
        break;
      case 1:
      case 2:
      case 3:
      case 4: // part of one RRA's span
        s = last - Math.floor(w.a * 1.5 * spans[r]);
        e = s + Math.floor(w.b * Math.min(spans[r], cap));
        break;
      case 5: // before the first update
        e = start - 1 - Math.floor(w.a * maxSpan);
        s = e - Math.floor(w.b * Math.min(maxSpan, cap));
        break;
      case 6:
      case 7: // past the last update
        s = last - Math.floor(w.a * 3 * rowSeconds[r]);
        e = last + Math.floor(w.b * maxSpan);
        break;
      case 8: // a single instant
        s = last - Math.floor(w.a * spans[r]);
        e = s;
        break;
      case 9: // exactly what one RRA holds
        s = last - spans[r];
        e = last;
        break;
      default: // end before start: refused
        s = last - Math.floor(w.a * spans[r]);
        e = s - 1 - Math.floor(w.b * spans[r]);
        break;
    }
    if (e - s > cap) s = e - cap;
    const other = rowSeconds[(r + 1) % rowSeconds.length];
    const resolution = [
      1,
      step,
      rowSeconds[r],
      1 + (w.k % (2 * maxRow)),
      Math.max(1, rowSeconds[r] + (w.k % 3) - 1),
      Math.floor((rowSeconds[r] + other) / 2), // as near to two RRAs: a tie
    ][w.resKind];
    windows.push({ start: s, end: e, resolution });
    // A one-row answer does not show its step; the same start with a later end picks the same RRA.
    if (e - s < 2 * maxRow) windows.push({ start: s, end: e + 2 * maxRow, resolution, probe: true });
  }
  return windows;
}

// ---------------------------------------------------------------------------
// Running a scenario on both sides and comparing.

interface RingmonSnapshot {
  readonly lastUpdate: number;
  readonly lastDs: string[];
  readonly pdpValue: number[];
  readonly unknownSec: number[];
  readonly cdpValue: number[];
  readonly cdpUnknown: number[];
}

function snapshot(path: string): RingmonSnapshot {
  const info = archiveInfo(path);
  const file = openArchive(path);
  try {
    return {
      lastUpdate: info.lastUpdate,
      lastDs: info.ds.map((d) => d.lastDs),
      pdpValue: Array.from(file.state.pdpValue),
      unknownSec: info.ds.map((d) => d.unknownSec),
      cdpValue: Array.from(file.state.cdpValue),
      cdpUnknown: info.rra.flatMap((r) => r.cdpPrep.map((c) => c.unknownDatapoints)),
    };
  } finally {
    file.close();
  }
}

type Expectation =
  | { readonly kind: 'create'; readonly error?: string }
  | { readonly kind: 'update'; readonly error?: string; readonly refusal?: string; readonly unchanged?: boolean }
  | { readonly kind: 'info'; readonly state: RingmonSnapshot }
  | {
      readonly kind: 'fetch';
      readonly cf: ConsolidationFunction;
      readonly window: Window;
      readonly result?: FetchResult;
      readonly error?: string;
    };

class Mismatch extends Error {
  override name = 'Mismatch';
}

function show(v: number | null): string {
  return v === null || Number.isNaN(v) ? 'UNKNOWN' : String(v);
}

function errorText(e: unknown): string {
  if (e instanceof ArchiveError) return `${e.name}: ${e.message}`;
  throw e;
}

function runScenario(raw: ScenarioRaw): void {
  const sc = buildScenario(raw);
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-diff-'));
  try {
    const rrdPath = join(dir, 'o.rrd');
    const rmPath = join(dir, 'r.rma');
    const commands: string[] = [];
    const expected: Expectation[] = [];
    const add = (command: string, e: Expectation): void => {
      commands.push(command);
      expected.push(e);
    };

    let created = true;
    try {
      createArchive(rmPath, sc.def, { start: sc.start });
      add(createCommand(rrdPath, sc.def, sc.start), { kind: 'create' });
    } catch (e) {
      created = false;
      add(createCommand(rrdPath, sc.def, sc.start), { kind: 'create', error: errorText(e) });
    }
    if (created) {
      add(infoCommand(rrdPath), { kind: 'info', state: snapshot(rmPath) });
      for (const op of sc.ops) {
        if (op.kind === 'check') {
          const last = Math.floor(archiveInfo(rmPath).lastUpdate);
          for (const window of buildWindows(op.windows.map((w) => raw.windows[w]), sc.def, sc.start, last)) {
            for (const cf of ALL_CFS) {
              let result: FetchResult | undefined;
              let error: string | undefined;
              try {
                result = fetchArchive(rmPath, { cf, start: window.start, end: window.end, resolution: window.resolution });
              } catch (e) {
                error = errorText(e);
              }
              add(fetchCommand(rrdPath, cf, window.start, window.end, window.resolution), { kind: 'fetch', cf, window, result, error });
            }
          }
          continue;
        }
        const samples = op.kind === 'update' ? op.samples : [op.sample];
        const before = op.kind === 'refused' ? readFileSync(rmPath) : undefined;
        let error: string | undefined;
        try {
          updateArchive(rmPath, samples.map((s) => ({ time: s.time, values: s.values })));
        } catch (e) {
          error = errorText(e);
        }
        const unchanged = before ? before.equals(readFileSync(rmPath)) : undefined;
        add(updateCommand(rrdPath, samples.map((s) => [s.timeText, s.texts])), {
          kind: 'update',
          error,
          refusal: op.kind === 'refused' ? op.why : undefined,
          unchanged,
        });
        add(infoCommand(rrdPath), { kind: 'info', state: snapshot(rmPath) });
      }
    }

    const replies = runRrdtool(commands, dir);
    compareAll(sc, commands, expected, replies, rrdPath);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function script(commands: readonly string[], upTo: number, rrdPath: string): string {
  const lines = commands
    .slice(0, upTo + 1)
    .filter((c, i) => i === upTo || c.startsWith('create') || c.startsWith('update'))
    .map((c) => c.split(rrdPath).join('x.rrd'));
  const shown = lines.length > 80 ? [...lines.slice(0, 40), `... ${lines.length - 80} lines ...`, ...lines.slice(-40)] : lines;
  return shown.join('\n');
}

function compareAll(sc: Scenario, commands: string[], expected: Expectation[], replies: Reply[], rrdPath: string): void {
  const fail = (i: number, what: string): never => {
    throw new Mismatch(`${what}\n--- rrdtool script (pipe into 'rrdtool -') ---\n${script(commands, i, rrdPath)}`);
  };
  const dsNames = sc.def.dataSources.map((d) => d.name);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const reply = replies[i];
    switch (e.kind) {
      case 'create':
        if (reply.ok !== (e.error === undefined)) {
          fail(i, `create: rrdtool ${reply.ok ? 'accepted' : `refused (${reply.error})`}, ringmon ${e.error ?? 'accepted'}`);
        }
        if (!reply.ok) return;
        break;
      case 'update':
        count(e.refusal ? `refused: ${e.refusal.replace(/'.*'/, '…').replace(/\d+ values for \d+ DSs/, 'wrong value count')}` : 'updates');
        if (reply.ok !== (e.error === undefined)) {
          const ours = e.error ? `refused (${e.error})` : 'accepted';
          fail(i, `update: rrdtool ${reply.ok ? 'accepted' : `refused (${reply.error})`}, ringmon ${ours}`);
        }
        if (e.refusal !== undefined && reply.ok) fail(i, `update meant to be refused (${e.refusal}) was accepted by both`);
        if (e.unchanged === false) fail(i, `ringmon refused an update (${e.refusal}) but changed the file`);
        break;
      case 'info':
        compareInfo(parseInfo(reply.lines), e.state, dsNames, sc.def.rras.length, (what) => fail(i, `info after the update: ${what}`));
        break;
      case 'fetch': {
        // A one-row answer does not show its step: the probe after this window's four CFs does.
        const probe = expected[i + ALL_CFS.length];
        const isProbe = probe?.kind === 'fetch' && probe.window.probe === true && probe.cf === e.cf;
        compareFetch(e, reply, isProbe ? replies[i + ALL_CFS.length] : undefined, dsNames, (what) => fail(i, what));
        break;
      }
      default: {
        const never: never = e;
        throw new Error(`unhandled ${String(never)}`);
      }
    }
  }
}

function compareFetch(
  e: Extract<Expectation, { kind: 'fetch' }>,
  reply: Reply,
  probe: Reply | undefined,
  dsNames: string[],
  fail: (what: string) => never,
): void {
  const where = `fetch ${e.cf} start=${e.window.start} end=${e.window.end} resolution=${e.window.resolution}`;
  if (reply.ok !== (e.result !== undefined)) {
    const ours = e.error ? `refused (${e.error})` : 'answered';
    fail(`${where}: rrdtool ${reply.ok ? 'answered' : `refused (${reply.error})`}, ringmon ${ours}`);
  }
  if (!reply.ok || !e.result) {
    count('fetches refused by both');
    return;
  }
  const answer = parseFetch(reply.lines);
  const got = answer.rows;
  const mine = e.result;
  if (answer.ds.join() !== mine.ds.join()) fail(`${where}: DS names ${answer.ds.join()} vs ringmon ${mine.ds.join()}`);
  if (got.length !== mine.rows.length) fail(`${where}: rrdtool ${got.length} rows, ringmon ${mine.rows.length}`);
  if (got.length === 0) fail(`${where}: no rows`);
  const spacing = (rows: RrdFetch['rows']): number | undefined => (rows.length > 1 ? rows[1][0] - rows[0][0] : undefined);
  const step = spacing(got) ?? (probe?.ok ? spacing(parseFetch(probe.lines).rows) : undefined);
  if (got[got.length - 1][0] !== mine.end) fail(`${where}: end ${got[got.length - 1][0]} vs ringmon ${mine.end}`);
  if (step !== undefined && step !== mine.step) fail(`${where}: step ${step} vs ringmon ${mine.step}`);
  if (step !== undefined && got[0][0] - step !== mine.start) fail(`${where}: start ${got[0][0] - step} vs ringmon ${mine.start}`);
  count(`fetches answered (${e.cf})`);
  if (got.length === 1 && step !== undefined) count('one-row answers, step from the probe');
  if (got.some((row) => row.slice(1).some((v) => v !== null))) count('fetches with a known value');
  got.forEach((row, r) => {
    const m = mine.rows[r];
    if (row[0] !== m[0]) fail(`${where}: row ${r} time ${row[0]} vs ringmon ${m[0]}`);
    for (let d = 1; d < row.length; d++) {
      const v = row[d];
      count(v === null ? 'values unknown' : Number.isFinite(v) ? 'values known' : 'values infinite');
      if (!sameNumber(v, m[d])) fail(`${where}: row ${r} (t=${row[0]}) DS ${dsNames[d - 1]}: rrdtool ${show(v)}, ringmon ${show(m[d])}`);
    }
  });
}

function compareInfo(
  info: Map<string, string>,
  mine: RingmonSnapshot,
  dsNames: string[],
  rraCount: number,
  fail: (what: string) => never,
): void {
  const get = (key: string): string => {
    const v = info.get(key);
    if (v === undefined) fail(`rrdtool info has no ${key}`);
    return v!;
  };
  const num = (key: string, value: number): void => {
    const theirs = parseRrdNumber(get(key));
    if (!sameNumber(theirs, value)) fail(`${key}: rrdtool ${show(theirs)}, ringmon ${show(value)}`);
  };
  const exact = (key: string, value: string | number): void => {
    if (get(key) !== String(value)) fail(`${key}: rrdtool ${get(key)}, ringmon ${value}`);
  };
  exact('last_update', Math.floor(mine.lastUpdate));
  dsNames.forEach((name, d) => {
    exact(`ds[${name}].last_ds`, mine.lastDs[d]);
    num(`ds[${name}].value`, mine.pdpValue[d]);
    exact(`ds[${name}].unknown_sec`, mine.unknownSec[d]);
  });
  for (let r = 0; r < rraCount; r++) {
    for (let d = 0; d < dsNames.length; d++) {
      num(`rra[${r}].cdp_prep[${d}].value`, mine.cdpValue[r * dsNames.length + d]);
      exact(`rra[${r}].cdp_prep[${d}].unknown_datapoints`, mine.cdpUnknown[r * dsNames.length + d]);
    }
  }
}

describe.skipIf(!HAVE_RRDTOOL)('archive engine against rrdtool 1.7', () => {
  it(`agrees on ${RUNS} random definitions and update sequences: fetch rows, info state and refusals`, () => {
    const started = Date.now();
    const details = fc.check(
      // Unbiased draws too, besides fast-check's usual bias towards small values and bounds.
      fc.property(fc.oneof(scenarioRaw, fc.noBias(scenarioRaw)), (raw) => {
        runScenario(raw);
      }),
      // Shrinking a 300-update scenario can take many minutes; past the limit the smallest failure so far is reported.
      { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, ...REPLAY },
    );
    if (STATS) console.log(`\n${[...STATS].sort().map(([k, v]) => `${k}: ${v}`).join('\n')}`);
    if (details.failed) {
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(
        `${fc.defaultReportMessage(details)}\n\n` +
          `Replay: RINGMON_DIFF_SEED=${details.seed} RINGMON_DIFF_PATH=${details.counterexamplePath}\n\n${cause}`,
      );
    }
    if (details.interrupted) {
      const ms = Date.now() - started;
      console.warn(`differential: only ${details.numRuns} of ${RUNS} scenarios ran within ${TIME_LIMIT_MS / 1000} s (${ms} ms)`);
    }
  }, TIME_LIMIT_MS + 120_000);
});
