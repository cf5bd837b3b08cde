/**
 * Sub-second times given as text, against rrdtool 1.7. rrdtool reads an
 * update's time with its own decimal parser, not correctly rounded, and
 * truncates the fraction to microseconds: `1699999950.1` is 99999 µs, and
 * `1700000291.568` is 567999 µs where Number() reads 568000. A microsecond
 * off moves every rate of that update (by 3e-9 relative over a 300 s step),
 * so ringmon must land on rrdtool's microsecond for every text:
 *   - parseTimeText and splitTime on their own, and rrdtool's microsecond
 *     for thousands of texts, read back from a GAUGE whose PDP holds exactly
 *     value × elapsed seconds;
 *   - a reference scenario (the 1699999950.1 and others) through the
 *     engine and through the real `ringmon archive update` process, fetched
 *     and printed as rrdtool prints (%0.10e): equal digit for digit, where
 *     the old Number() reading is not.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createArchive,
  fetchArchive,
  openArchive,
  parseTimeText,
  splitTime,
  updateArchive,
  type ArchiveDefinition,
  type ConsolidationFunction,
} from '../../archive/index.js';
import { ALL_CFS, createCommand, fetchCommand, infoCommand, parseInfo, rrdtoolAvailable, runRrdtool, updateCommand } from './rrdtool-oracle.js';

const HAVE_RRDTOOL = rrdtoolAvailable();
const LAUNCHER = resolve(import.meta.dirname, '../../bin/ringmon.js');
const dir = mkdtempSync(join(tmpdir(), 'ringmon-subsecond-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseTimeText and splitTime', () => {
  it('read the issue reference 1699999950.1 as 1699999950 s + 99999 µs, as rrdtool does', () => {
    expect(splitTime(parseTimeText('1699999950.1')!)).toEqual({ seconds: 1699999950, usec: 99999 });
  });

  it.each([
    ['1699999950.5', 1699999950, 500000],
    ['1699999950.25', 1699999950, 250000],
    ['1699999950', 1699999950, 0],
    // rrd_strtod divides by 10 and then by 100; Number() rounds once and gives 568000.
    ['1700000291.568', 1700000291, 567999],
    ['1700000568.7609399420', 1700000568, 760940], // Number(): 760939
    ['1699999950.123456789012', 1699999950, 123456],
    ['1.6999999505e9', 1699999950, 500000],
    ['16999999505e-1', 1699999950, 500000],
    [' +01699999950.', 1699999950, 0],
    ['1699999950e', 1699999950, 0],
    ['.5', 0, 500000],
  ])('%j is %i s + %i µs', (text, seconds, usec) => {
    expect(splitTime(parseTimeText(text)!)).toEqual({ seconds, usec });
  });

  it('differs from Number() where rrdtool does (the point of reading text with its parser)', () => {
    expect(splitTime(Number('1700000291.568')).usec).toBe(568000);
    expect(parseTimeText('1700000291.568')).toBeLessThan(Number('1700000291.568'));
  });

  it.each(['', '.', 'e5', 'nan', '-nan', 'inf', '-inf', 'N', '1699999950x', '1699999950.5.5', '1,5', '0x10', '1e1025', '1e-1022', '1699999950 '])(
    'refuses %j',
    (text) => {
      expect(parseTimeText(text)).toBeUndefined();
    },
  );

  it('returns a negative time as it is (rrdtool counts it back from now; the caller decides)', () => {
    expect(parseTimeText('-60')).toBe(-60);
    expect(parseTimeText('-0.5')).toBe(-0.5);
  });

  it('splits a number by the same rule: floor, then the microseconds truncated', () => {
    expect(splitTime(1699999950.1)).toEqual({ seconds: 1699999950, usec: 99999 });
    expect(splitTime(1699999950.9999997)).toEqual({ seconds: 1699999950, usec: 999999 });
    expect(splitTime(1700000000)).toEqual({ seconds: 1700000000, usec: 0 });
  });
});

/** Decimal texts as people and scripts write them: a few digits (.1, .5, .568) or many, some with trailing zeros. */
function decimalTexts(count: number): string[] {
  let seed = 13;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((seed / 2 ** 31) * n);
  };
  const texts = ['1699999950.1', '1699999950.5', '1700000291.568', '1000000002.63793000'];
  while (texts.length < count) {
    const decimals = 1 + random(12);
    let digits = '';
    for (let i = 0; i < decimals; i++) digits += String(random(10));
    const zeros = '0'.repeat(random(3) === 0 ? 1 + random(4) : 0);
    texts.push(`${1_000_000_000 + random(700_000_000)}.${digits}${zeros}`);
  }
  return texts;
}

/** One day's step: an update within the start's day only accumulates into the PDP. */
const GAUGE_DAY: ArchiveDefinition = {
  step: 86400,
  dataSources: [{ name: 'g', type: 'GAUGE', heartbeat: 86400, min: NaN, max: NaN }],
  rras: [{ cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 1 }],
};

describe.skipIf(!HAVE_RRDTOOL)("rrdtool's microsecond for a text time", () => {
  it('is ringmon\'s for 2000 decimal texts (rrdtool shows it as the PDP value of a GAUGE of 1e6 one update after the start)', () => {
    // Created at the text's whole second, a GAUGE of 1e6 updated at the text
    // accumulates 1e6 × elapsed = the microseconds, which info prints.
    const texts = decimalTexts(2000);
    const commands: string[] = [];
    const ours: Array<{ seconds: number; usec: number }> = [];
    texts.forEach((text, i) => {
      const split = splitTime(parseTimeText(text)!);
      ours.push(split);
      const file = `t${i}.rrd`;
      commands.push(createCommand(file, GAUGE_DAY, split.seconds), updateCommand(file, [[text, ['1000000']]]), infoCommand(file));
    });
    const replies = runRrdtool(commands, dir);
    let whole = 0;
    texts.forEach((text, i) => {
      const [create, update, info] = replies.slice(3 * i, 3 * i + 3);
      expect(create.ok, text).toBe(true);
      // A fraction that truncates to 0 µs is the start time itself: refused by both.
      if (ours[i].usec === 0) {
        whole++;
        expect(update.ok, `${text}: rrdtool ${update.ok ? 'accepted' : 'refused'}`).toBe(false);
        return;
      }
      expect(update.ok, `${text}: ${update.error}`).toBe(true);
      const state = parseInfo(info.lines);
      expect(state.get('last_update'), text).toBe(String(ours[i].seconds));
      expect(Number(state.get('ds[g].value')), text).toBe(ours[i].usec);
    });
    expect(whole).toBeLessThan(texts.length / 20);
  });

  it('is what the engine stores for those texts', () => {
    // The same first 300 texts through updateArchive: the engine's own split.
    for (const text of decimalTexts(300)) {
      const time = parseTimeText(text)!;
      const { seconds, usec } = splitTime(time);
      if (usec === 0) continue;
      const path = join(dir, 'engine.rma');
      createArchive(path, GAUGE_DAY, { start: seconds, overwrite: true });
      updateArchive(path, [{ time, values: ['1000000'] }]);
      const file = openArchive(path);
      try {
        expect([text, file.state.lastUpdate, file.state.lastUpdateUsec, Math.round(file.state.pdpValue[0])]).toEqual([text, seconds, usec, usec]);
      } finally {
        file.close();
      }
    }
  });
});

// The reference scenario: a 300 s step, all four DS types, text times with fractions.
const START = 1699999500;
const DEFINITION: ArchiveDefinition = {
  step: 300,
  dataSources: [
    { name: 'temp', type: 'GAUGE', heartbeat: 600, min: NaN, max: NaN },
    { name: 'bytes', type: 'COUNTER', heartbeat: 600, min: NaN, max: NaN },
    { name: 'drift', type: 'DERIVE', heartbeat: 600, min: NaN, max: NaN },
    { name: 'hits', type: 'ABSOLUTE', heartbeat: 600, min: NaN, max: NaN },
  ],
  rras: [
    { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 40 },
    { cf: 'MAX', xff: 0.5, pdpPerRow: 3, rows: 20 },
    { cf: 'MIN', xff: 0.5, pdpPerRow: 3, rows: 20 },
    { cf: 'LAST', xff: 0.5, pdpPerRow: 2, rows: 20 },
  ],
};
const FRACTIONS = ['1', '568', '398', '7609399420', '669629', '5', '25', '123456789012', '0000001', '9999999', '63793000', '3'];
const REFERENCE: ReadonlyArray<readonly [string, readonly string[]]> = FRACTIONS.flatMap((fraction, i) =>
  [0, 1].map((half) => {
    const k = 2 * i + half;
    const time = `${1699999950 + 300 * k + (k % 3) * 37}.${fraction}`;
    return [time, [(12.5 + 3.25 * k).toFixed(2), String(1_000_000 + 4_900_000 * k + 17 * k * k), String(-500 + 911 * k), String(300 + 7 * k)]] as const;
  }),
);
const LAST_SECOND = Math.floor(parseTimeText(REFERENCE[REFERENCE.length - 1][0])!);
const FETCH = { start: START, end: LAST_SECOND, resolution: 300 };

/** A value as rrdtool's fetch prints it (%0.10e); UNKNOWN as nan. */
function printed(v: number | null): string {
  if (v === null || Number.isNaN(v)) return 'nan';
  const [mantissa, exponent] = v.toExponential(10).split('e');
  return `${mantissa}e${exponent[0]}${exponent.slice(1).padStart(2, '0')}`;
}

/** rrdtool's fetch text as printed rows: 'time: v v v'. */
function rrdtoolRows(lines: readonly string[]): string[] {
  return lines
    .filter((l) => /^\s*\d+:/.test(l))
    .map((l) => {
      const [t, values] = l.split(':');
      return `${t.trim()}: ${values.trim().split(/\s+/).map((v) => (/nan/i.test(v) ? 'nan' : v)).join(' ')}`;
    });
}

function ringmonRows(path: string, cf: ConsolidationFunction): string[] {
  const result = fetchArchive(path, { cf, ...FETCH });
  return result.rows.map(([t, ...values]) => `${t}: ${values.map(printed).join(' ')}`);
}

/** The reference scenario through rrdtool: its printed fetch rows per CF. */
function rrdtoolReference(): Map<ConsolidationFunction, string[]> {
  const file = 'reference.rrd';
  const replies = runRrdtool(
    [createCommand(file, DEFINITION, START), updateCommand(file, REFERENCE), ...ALL_CFS.map((cf) => fetchCommand(file, cf, FETCH.start, FETCH.end, FETCH.resolution))],
    dir,
  );
  for (const reply of replies) expect(reply.ok, reply.error).toBe(true);
  return new Map(ALL_CFS.map((cf, i) => [cf, rrdtoolRows(replies[2 + i].lines)]));
}

/** The reference scenario through the engine, each text time read by `read`. */
function engineReference(name: string, read: (text: string) => number): string {
  const path = join(dir, name);
  createArchive(path, DEFINITION, { start: START, overwrite: true });
  updateArchive(path, REFERENCE.map(([t, values]) => ({ time: read(t), values })));
  return path;
}

/** Largest relative difference between two sets of printed rows (same shape). */
function largestDifference(a: readonly string[], b: readonly string[]): number {
  let largest = 0;
  a.forEach((row, r) => {
    const x = row.split(/:? /).slice(1).map(Number);
    const y = b[r].split(/:? /).slice(1).map(Number);
    x.forEach((v, i) => {
      if (Number.isFinite(v) && Number.isFinite(y[i]) && v !== y[i]) largest = Math.max(largest, Math.abs(v - y[i]) / Math.abs(v));
    });
  });
  return largest;
}

describe.skipIf(!HAVE_RRDTOOL)('the reference scenario (1699999950.1 and other decimal text times) against rrdtool', () => {
  it('keeps 1699999950.1 as .099999 s, and fetches every CF equal to rrdtool to its printed digits', () => {
    const theirs = rrdtoolReference();
    const path = join(dir, 'first.rma');
    createArchive(path, DEFINITION, { start: START, overwrite: true });
    updateArchive(path, [{ time: parseTimeText(REFERENCE[0][0])!, values: REFERENCE[0][1] }]);
    const file = openArchive(path);
    expect([file.state.lastUpdate, file.state.lastUpdateUsec]).toEqual([1699999950, 99999]);
    file.close();

    const ours = engineReference('engine.rma', (t) => parseTimeText(t)!);
    for (const cf of ALL_CFS) {
      const rows = theirs.get(cf)!;
      expect(rows.filter((r) => /\de/.test(r)).length, `${cf}: known values`).toBeGreaterThan(5);
      expect(ringmonRows(ours, cf), cf).toEqual(rows);
    }
  });

  it('differs from rrdtool when the same texts are read with Number() (what the reference test guards against)', () => {
    const theirs = rrdtoolReference();
    const old = engineReference('number.rma', Number);
    const difference = Math.max(...ALL_CFS.map((cf) => largestDifference(theirs.get(cf)!, ringmonRows(old, cf))));
    expect(difference).toBeGreaterThan(1e-10);
  });

  it('fetches the same through the real `ringmon archive update` process', async () => {
    const theirs = rrdtoolReference();
    const path = join(dir, 'cli.rma');
    const ds = DEFINITION.dataSources.map((d) => `DS:${d.name}:${d.type}:${d.heartbeat}:U:U`);
    const rra = DEFINITION.rras.map((r) => `RRA:${r.cf}:${r.xff}:${r.pdpPerRow}:${r.rows}`);
    const run = promisify(execFile);
    await run(process.execPath, [LAUNCHER, 'archive', 'create', path, '--start', String(START), '--step', String(DEFINITION.step), ...ds, ...rra]);
    await run(process.execPath, [LAUNCHER, 'archive', 'update', path, ...REFERENCE.map(([t, values]) => [t, ...values].join(':'))]);
    for (const cf of ALL_CFS) expect(ringmonRows(path, cf), cf).toEqual(theirs.get(cf));
  }, 60_000);
});
