/**
 * `ringmon archive` through the real launcher (node bin/ringmon.js, tsx and
 * all) as a child process: results against rrdtool run with the same
 * arguments, help, one-line errors that leave the archive untouched, info,
 * and dump → restore. Independent invocations run concurrently to keep the
 * file fast (each start-up costs ~0.4 s).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRingmon, type CommandRun } from '../helpers/ringmon-command.js';

const RRDTOOL = '/usr/bin/rrdtool';
const dir = mkdtempSync(join(tmpdir(), 'ringmon-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Run = CommandRun;

function ringmon(args: readonly string[], stdin?: string): Promise<Run> {
  return runRingmon(args, { cwd: dir, stdin });
}

async function ok(args: readonly string[], stdin?: string): Promise<string> {
  const run = await ringmon(args, stdin);
  expect(run.stderr, `ringmon ${args.join(' ')}`).toBe('');
  expect(run.code).toBe(0);
  return run.stdout;
}

const path = (name: string): string => join(dir, name);

// A scenario run through both tools: the same create and update arguments.
const CREATE = [
  '--start', '1700000000', '--step', '60',
  'DS:temp:GAUGE:2m:-50:150', 'DS:bytes:COUNTER:5m:0:U', 'DS:drift:DERIVE:5m:U:U', 'DS:hits:ABSOLUTE:5m:0:U',
  'RRA:AVERAGE:0.5:1:1d', 'RRA:MAX:0.5:5:600', 'RRA:MIN:0:1h:30', 'RRA:LAST:0.5:2:200',
];

/** Irregular times (some fractional, some gaps past the heartbeat), all four DS types, U now and then. */
function samples(): string[] {
  let seed = 7;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out: string[] = [];
  let t = 1700000000;
  let bytes = 1_000_000;
  let drift = 0;
  for (let i = 0; i < 400; i++) {
    t += i % 97 === 50 ? 400 : 20 + Math.floor(random() * 70);
    const time = i % 5 === 0 ? `${t}.5` : String(t);
    bytes += Math.floor(random() * 50_000);
    drift += Math.floor(random() * 200) - 100;
    const temp = i % 23 === 0 ? 'U' : (random() * 40 - 5).toFixed(3);
    out.push(`${time}:${temp}:${bytes}:${drift}:${Math.floor(random() * 1000)}`);
  }
  return out;
}

const SAMPLES = samples();
const LAST_TIME = Number(SAMPLES[SAMPLES.length - 1].split(':')[0]);

/** rrdtool fetch's text, as the rows of our JSON: [t, v...] with null for nan. */
function rrdtoolFetch(file: string, args: readonly string[]): { ds: string[]; rows: Array<Array<number | null>> } {
  const text = execFileSync(RRDTOOL, ['fetch', file, ...args], { encoding: 'utf8' });
  const [head, , ...lines] = text.split('\n');
  const rows = lines
    .filter((l) => l.includes(':'))
    .map((l) => {
      const [t, values] = l.split(':');
      return [Number(t), ...values.trim().split(/\s+/).map((v) => (/nan/i.test(v) ? null : Number(v)))];
    });
  return { ds: head.trim().split(/\s+/), rows };
}

function expectSameRows(ours: ReadonlyArray<ReadonlyArray<number | null>>, theirs: ReadonlyArray<ReadonlyArray<number | null>>): void {
  expect(ours.length).toBe(theirs.length);
  ours.forEach((row, i) => {
    expect(row.length).toBe(theirs[i].length);
    row.forEach((v, j) => {
      const w = theirs[i][j];
      if (v === null || w === null) expect([i, j, v]).toEqual([i, j, w]);
      else expect(Math.abs(v - w), `row ${i} column ${j}: ${v} vs ${w}`).toBeLessThanOrEqual(Math.abs(w) * 1e-9);
    });
  });
}

describe.skipIf(!existsSync(RRDTOOL))('create → update → fetch against rrdtool', () => {
  beforeAll(async () => {
    await ok(['archive', 'create', 'data.rma', ...CREATE]);
    execFileSync(RRDTOOL, ['create', path('data.rrd'), ...CREATE]);
    // All but the last ten in one call; the rest with a template that reorders the DSs.
    await ok(['archive', 'update', 'data.rma', ...SAMPLES.slice(0, -10)]);
    execFileSync(RRDTOOL, ['update', path('data.rrd'), ...SAMPLES.slice(0, -10)]);
    const reordered = SAMPLES.slice(-10).map((s) => {
      const [t, temp, bytes, drift, hits] = s.split(':');
      return `${t}:${hits}:${drift}:${bytes}:${temp}`;
    });
    const template = ['-t', 'hits:drift:bytes:temp'];
    await ok(['archive', 'update', 'data.rma', ...template, ...reordered]);
    execFileSync(RRDTOOL, ['update', path('data.rrd'), ...template, ...reordered]);
  });

  const QUERIES: ReadonlyArray<readonly string[]> = [
    ['AVERAGE', '--start', '1700000000', '--end', String(Math.ceil(LAST_TIME))],
    ['MAX', '-s', '1700000000', '-e', 'start+10h', '-r', '300'],
    ['MIN', '--start', 'end-1d', '--end', String(Math.ceil(LAST_TIME) + 3600), '--resolution', '1h'],
    ['LAST', '-s', `${Math.floor(LAST_TIME)}-3h`, '-e', `${Math.floor(LAST_TIME)}`, '-r', '120'],
    ['AVERAGE', '--start', 'end-2h', '--end', '1700020000', '--align-start', '-r', '5m'],
  ];

  it.each(QUERIES)('fetch %s %s %s %s %s gives rrdtool fetch rows', async (...query) => {
    const result = JSON.parse(await ok(['archive', 'fetch', 'data.rma', ...query])) as {
      start: number;
      end: number;
      step: number;
      ds: string[];
      rows: Array<Array<number | null>>;
    };
    const theirs = rrdtoolFetch(path('data.rrd'), query);
    expect(result.ds).toEqual(['temp', 'bytes', 'drift', 'hits']);
    expect(theirs.ds).toEqual(result.ds);
    expect(result.rows.length).toBeGreaterThan(0);
    expect(result.rows.some((r) => r.slice(1).some((v) => v !== null))).toBe(true);
    expect(result.start + result.step).toBe(result.rows[0][0]);
    expect(result.end).toBe(result.rows[result.rows.length - 1][0]);
    expectSameRows(result.rows, theirs.rows);
  });

  it('info reports the definition and the last update', async () => {
    const info = JSON.parse(await ok(['archive', 'info', 'data.rma'])) as {
      step: number;
      lastUpdate: number;
      ds: Array<{ name: string; type: string; minimalHeartbeat: number; min: number | null; max: number | null }>;
      rra: Array<{ cf: string; rows: number; pdpPerRow: number; xff: number }>;
    };
    expect(info.step).toBe(60);
    expect(info.lastUpdate).toBe(LAST_TIME);
    expect(info.ds.map(({ name, type, minimalHeartbeat, min, max }) => [name, type, minimalHeartbeat, min, max])).toEqual([
      ['temp', 'GAUGE', 120, -50, 150],
      ['bytes', 'COUNTER', 300, 0, null],
      ['drift', 'DERIVE', 300, null, null],
      ['hits', 'ABSOLUTE', 300, 0, null],
    ]);
    expect(info.rra.map(({ cf, rows, pdpPerRow, xff }) => [cf, rows, pdpPerRow, xff])).toEqual([
      ['AVERAGE', 1440, 1, 0.5],
      ['MAX', 600, 5, 0.5],
      ['MIN', 30, 60, 0],
      ['LAST', 200, 2, 0.5],
    ]);
  });

  it('dump → restore (file and stdin) round-trips, and rrdtool restores the dump to the same rows', async () => {
    const xml = await ok(['archive', 'dump', 'data.rma']);
    expect(xml).toMatch(/^<\?xml[\s\S]*<rrd>[\s\S]*<\/rrd>\n$/);
    execFileSync('sh', ['-c', 'cat > dump.xml'], { cwd: dir, input: xml });
    const [fromFile, fromStdin] = await Promise.all([
      ringmon(['archive', 'restore', 'dump.xml', 'copy.rma', '--progress']),
      ringmon(['archive', 'restore', '-', 'copy2.rma'], xml),
    ]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stderr).toMatch(/ringmon archive restore: \d+ rows read\n/);
    expect(fromFile.stderr).toMatch(/restored copy\.rma from dump\.xml: 4 DS, 4 RRAs, 2270 rows\n$/);
    expect(fromStdin.code).toBe(0);
    // Not a terminal and no --progress: the summary alone.
    expect(fromStdin.stderr).toBe('restored copy2.rma from stdin: 4 DS, 4 RRAs, 2270 rows\n');
    const [copyDump, copy2Dump] = await Promise.all([ok(['archive', 'dump', 'copy.rma']), ok(['archive', 'dump', 'copy2.rma'])]);
    expect(copyDump).toBe(xml);
    expect(copy2Dump).toBe(xml);

    execFileSync(RRDTOOL, ['restore', path('dump.xml'), path('restored.rrd')]);
    const query = ['AVERAGE', '--start', '1700000000', '--end', String(Math.ceil(LAST_TIME))];
    const ours = JSON.parse(await ok(['archive', 'fetch', 'copy.rma', ...query])) as { rows: Array<Array<number | null>> };
    expectSameRows(ours.rows, rrdtoolFetch(path('restored.rrd'), query).rows);
  });
});

describe('--help', () => {
  const CASES: ReadonlyArray<readonly [string[], string]> = [
    [['--help'], 'Usage: ringmon COMMAND'],
    [['-h'], 'Usage: ringmon COMMAND'],
    [['archive', '--help'], 'Usage: ringmon archive COMMAND'],
    [['archive', 'create', '--help'], 'Usage: ringmon archive create FILE'],
    [['archive', 'update', '-h'], 'Usage: ringmon archive update FILE'],
    [['archive', 'fetch', 'x.rma', 'AVERAGE', '--help'], 'Usage: ringmon archive fetch FILE CF'],
    [['archive', 'info', '--help'], 'Usage: ringmon archive info FILE'],
    [['archive', 'dump', '--help'], 'Usage: ringmon archive dump FILE'],
    [['archive', 'restore', '--help'], 'Usage: ringmon archive restore DUMP.xml FILE'],
  ];
  it('prints usage with examples and exits 0 for ringmon, ringmon archive and every subcommand', async () => {
    const runs = await Promise.all(CASES.map(([args]) => ringmon(args)));
    runs.forEach((run, i) => {
      const [args, usage] = CASES[i];
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: 0, stderr: '' });
      expect(run.stdout.startsWith(usage), run.stdout).toBe(true);
      expect(run.stdout).toContain('Examples:');
    });
    expect(runs[3].stdout).toContain('--overwrite');
  });
});

describe('errors: one line on stderr, non-zero exit, archive untouched', () => {
  const CASES: ReadonlyArray<readonly [string, string[], number, RegExp]> = [
    ['unknown DS type', ['archive', 'create', 'e.rma', '--overwrite', 'DS:x:FOO:120:U:U', 'RRA:AVERAGE:0.5:1:10'], 1, /^ringmon archive create: 'DS:x:FOO:120:U:U': type: 'FOO' is not one of GAUGE/],
    ['existing file', ['archive', 'create', 'e.rma', 'DS:x:GAUGE:120:U:U', 'RRA:AVERAGE:0.5:1:10'], 1, /^ringmon archive create: e\.rma: file exists; use --overwrite/],
    ['stale update', ['archive', 'update', 'e.rma', '1700000300:5', '1700000030:1'], 1, /^ringmon archive update: sample 1: illegal attempt to update using time 1700000030 /],
    ['malformed value', ['archive', 'update', 'e.rma', '1700000300:5', '1700000400:abc'], 1, /^ringmon archive update: sample 1: DS 'x': 'abc' is not a number$/],
    ['too many values', ['archive', 'update', 'e.rma', '1700000300:5:6'], 1, /^ringmon archive update: sample 0: expected 1 values, got 2$/],
    ['malformed time', ['archive', 'update', 'e.rma', 'yesterday:5'], 1, /^ringmon archive update: sample 0: time 'yesterday' is not a number, N or an @-time$/],
    ['unknown template DS', ['archive', 'update', 'e.rma', '-t', 'y', '1700000300:5'], 1, /^ringmon archive update: template: unknown DS name 'y'$/],
    ['missing file', ['archive', 'fetch', 'missing.rma', 'AVERAGE'], 1, /^ringmon archive fetch: missing\.rma: no such file$/],
    ['bad CF', ['archive', 'fetch', 'e.rma', 'average'], 2, /^ringmon archive fetch: CF 'average' is not one of AVERAGE, MIN, MAX, LAST$/],
    ['bad time spec', ['archive', 'fetch', 'e.rma', 'AVERAGE', '--start', 'now-3x'], 2, /^ringmon archive fetch: --start: 'now-3x' has an unknown unit 'x'/],
    ['unknown option', ['archive', 'info', 'e.rma', '--verbose'], 2, /^ringmon archive info: unknown option '--verbose'$/],
    ['negative time before --', ['archive', 'update', 'e.rma', '-60:1'], 2, /^ringmon archive update: '-60:1' starts with '-': put such arguments after '--'$/],
    ['missing argument', ['archive', 'fetch', 'e.rma'], 2, /^ringmon archive fetch: missing CF$/],
    ['unknown subcommand', ['archive', 'graph'], 2, /^ringmon archive: unknown command 'graph'/],
    ['not an archive', ['archive', 'info', 'dump-not.xml'], 1, /^ringmon archive info: dump-not\.xml: not a readable ringmon archive/],
    ['bad dump', ['archive', 'restore', 'dump-not.xml', 'r.rma'], 1, /^ringmon archive restore: dump-not\.xml\b.*malformed XML/],
  ];

  it('reports each as one line naming the problem and changes no file', async () => {
    await ok(['archive', 'create', 'e.rma', '--start', '1700000000', '--step', '60', 'DS:x:GAUGE:120:U:U', 'RRA:AVERAGE:0.5:1:10']);
    await ok(['archive', 'update', 'e.rma', '1700000100:1']);
    execFileSync('sh', ['-c', 'echo "<rrd><version>0003</rrd>" > dump-not.xml'], { cwd: dir });
    const before = readFileSync(path('e.rma'));
    const runs = await Promise.all(CASES.map(([, args]) => ringmon(args)));
    runs.forEach((run, i) => {
      const [what, , code, message] = CASES[i];
      expect({ what, code: run.code, stdout: run.stdout }).toEqual({ what, code, stdout: '' });
      const lines = run.stderr.split('\n');
      expect(lines.length, `${what}: ${run.stderr}`).toBe(2);
      expect(lines[1]).toBe('');
      expect(lines[0], what).toMatch(message);
    });
    expect(readFileSync(path('e.rma')).equals(before)).toBe(true);
    expect(existsSync(path('missing.rma'))).toBe(false);
    expect(existsSync(path('r.rma'))).toBe(false);
  });
});
