/**
 * Helpers for the dump/restore tests: driving the real rrdtool, reading its
 * fetch output, generating samples both engines are given as the same text.
 */
import { execFileSync } from 'node:child_process';
import { expect } from 'vitest';
import type { ArchiveDefinition, ConsolidationFunction, FetchResult } from '../../archive/index.js';
import { fetchCommand, runRrdtool } from './rrdtool-oracle.js';

export function rrdtool(...args: string[]): string {
  return execFileSync('rrdtool', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** rrdtool's fetch text: a line of DS names, a blank line, then `time: v v ...` with nan/-nan for UNKNOWN. */
export interface RrdFetch {
  readonly ds: string[];
  readonly rows: Array<[number, ...(number | null)[]]>;
}

export function parseRrdFetch(text: string): RrdFetch {
  const lines = text.split('\n');
  const ds = lines[0].trim().split(/\s+/);
  const rows: RrdFetch['rows'] = [];
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const [time, rest] = line.split(':');
    const values = rest
      .trim()
      .split(/\s+/)
      .map((v) => (/nan/i.test(v) ? null : Number(v)));
    rows.push([Number(time), ...values]);
  }
  return { ds, rows };
}

/** One `rrdtool fetch PATH CF --start --end --resolution`. */
export interface RrdFetchRequest {
  readonly cf: ConsolidationFunction;
  readonly start: number;
  readonly end: number;
  readonly resolution: number;
}

/**
 * rrdtool fetch of `path` for each request, in order, all through one `rrdtool -` process: a comparison asks for
 * 32 fetches at a time, and a process each costs ~10 ms (far more on a busy machine) against ~0.2 ms a line.
 */
export function rrdFetches(path: string, requests: readonly RrdFetchRequest[]): RrdFetch[] {
  const commands = requests.map((r) => fetchCommand(path, r.cf, r.start, r.end, r.resolution));
  return runRrdtool(commands).map((reply, i) => {
    if (!reply.ok) throw new Error(`rrdtool ${commands[i]}: ${reply.error}`);
    return parseRrdFetch(reply.lines.join('\n'));
  });
}

export function rrdFetch(path: string, cf: ConsolidationFunction, start: number, end: number, resolution: number): RrdFetch {
  return rrdFetches(path, [{ cf, start, end, resolution }])[0];
}

function close(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/** Same DS names, same row times, same UNKNOWNs, values within a relative 1e-9 (rrdtool prints 11 digits). */
export function expectSameFetch(ours: FetchResult, theirs: RrdFetch, what: string): void {
  expect(ours.ds, `${what}: DS names`).toEqual(theirs.ds);
  expect(ours.rows.map((r) => r[0]), `${what}: row times`).toEqual(theirs.rows.map((r) => r[0]));
  ours.rows.forEach((row, i) => {
    const other = theirs.rows[i];
    for (let d = 1; d < row.length; d++) {
      const a = row[d];
      const b = other[d];
      const same = a === null || b === null ? a === b : close(a, b);
      expect(same, `${what}: row ${row[0]} DS ${ours.ds[d - 1]}: ringmon ${a}, rrdtool ${b}`).toBe(true);
    }
  });
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so failures reproduce. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Six DSs, one of each type; GAUGE has a max so that some rates are dropped. */
export const definition: ArchiveDefinition = {
  step: 60,
  dataSources: [
    { name: 'g', type: 'GAUGE', heartbeat: 150, min: 0, max: 900 },
    { name: 'c', type: 'COUNTER', heartbeat: 150, min: NaN, max: NaN },
    { name: 'd', type: 'DERIVE', heartbeat: 150, min: NaN, max: NaN },
    { name: 'a', type: 'ABSOLUTE', heartbeat: 150, min: NaN, max: NaN },
    { name: 'dc', type: 'DCOUNTER', heartbeat: 150, min: NaN, max: NaN },
    { name: 'dd', type: 'DDERIVE', heartbeat: 150, min: -5, max: 5 },
  ],
  rras: [
    { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 300 },
    { cf: 'MIN', xff: 0.5, pdpPerRow: 5, rows: 120 },
    { cf: 'MAX', xff: 0.5, pdpPerRow: 5, rows: 120 },
    { cf: 'LAST', xff: 0.5, pdpPerRow: 5, rows: 120 },
    { cf: 'AVERAGE', xff: 0.3, pdpPerRow: 12, rows: 60 },
    { cf: 'MAX', xff: 0, pdpPerRow: 12, rows: 60 },
    { cf: 'LAST', xff: 0.9, pdpPerRow: 3, rows: 100 },
  ],
};

/** `rrdtool create` arguments for `definition`. */
export function rrdCreateArgs(path: string, start: number): string[] {
  const num = (v: number): string => (Number.isNaN(v) ? 'U' : String(v));
  return [
    'create',
    path,
    '--start',
    String(start),
    '--step',
    String(definition.step),
    ...definition.dataSources.map((ds) => `DS:${ds.name}:${ds.type}:${ds.heartbeat}:${num(ds.min)}:${num(ds.max)}`),
    ...definition.rras.map((r) => `RRA:${r.cf}:${r.xff}:${r.pdpPerRow}:${r.rows}`),
  ];
}

export interface TextSample {
  readonly time: number;
  readonly values: string[];
}

/**
 * `count` samples after `start`, 20 to 100 s apart, with UNKNOWNs, values
 * over the GAUGE max, a COUNTER wrap, and one gap longer than the heartbeat.
 */
export function generateSamples(seed: number, start: number, count: number): TextSample[] {
  const rnd = random(seed);
  const samples: TextSample[] = [];
  let t = start;
  let counter = 4294967295 - 20_000;
  let derive = 0;
  let dcounter = 0.5;
  let dderive = 0;
  for (let i = 0; i < count; i++) {
    t += i === Math.floor(count / 2) ? 1500 : 20 + Math.floor(rnd() * 80);
    counter = (counter + Math.floor(rnd() * 5000)) % 4294967296;
    derive += Math.floor(rnd() * 2000) - 1000;
    dcounter += rnd() * 300;
    dderive += (rnd() - 0.5) * 400;
    const unknown = (): boolean => rnd() < 0.04;
    const values = [
      unknown() ? 'U' : (rnd() * 1000).toFixed(3),
      unknown() ? 'U' : String(counter),
      unknown() ? 'U' : String(derive),
      unknown() ? 'U' : String(Math.floor(rnd() * 10_000)),
      unknown() ? 'U' : dcounter.toFixed(4),
      unknown() ? 'U' : dderive.toFixed(4),
    ];
    samples.push({ time: t, values });
  }
  return samples;
}

export function rrdUpdate(path: string, samples: readonly TextSample[]): void {
  for (let i = 0; i < samples.length; i += 250) {
    const args = samples.slice(i, i + 250).map((s) => `${s.time}:${s.values.join(':')}`);
    rrdtool('update', path, ...args);
  }
}

/**
 * A dump with what legitimately differs between two engines' dumps of the
 * same archive blanked: rrdtool's scratch CDP values (ringmon writes NaN) and
 * the zone name in the time comments.
 */
export function comparableDump(xml: string): string {
  return xml
    .replace(/<(primary|secondary)_value>[^<]*</g, '<$1_value><')
    .replace(/<!-- \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [^/>]*/g, '<!-- ');
}

/**
 * Two dumps equal as comparableDump sees them, except that %0.10e numbers
 * may differ by a relative 1e-9: a dump keeps 11 digits of the PDP and CDP
 * state, so two archives restored from dumps drift in the last digit once updated.
 */
export function expectSameDump(ours: string, theirs: string, what: string): void {
  const split = (xml: string): string[] => comparableDump(xml).split(/(-?\d\.\d{10}e[+-]\d+)/);
  const a = split(ours);
  const b = split(theirs);
  expect(a.filter((_, i) => i % 2 === 0), `${what}: dump text`).toEqual(b.filter((_, i) => i % 2 === 0));
  for (let i = 1; i < a.length; i += 2) {
    expect(close(Number(a[i]), Number(b[i])), `${what}: dump number ${a[i]} vs ${b[i]}`).toBe(true);
  }
}
