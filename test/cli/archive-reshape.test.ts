/**
 * `ringmon archive reshape` through the real launcher (node bin/ringmon.js)
 * as a child process: help, a reshape whose dump rrdtool restores and
 * fetches as ringmon does, one-line errors that leave the file untouched,
 * and several files by pattern with progress and a failed file reported
 * while the others go on.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { archiveInfo } from '../../archive/index.js';
import { parseRrdFetch, rrdtool } from '../archive/dump-restore-helpers.js';
import { rrdtoolAvailable } from '../archive/rrdtool-oracle.js';
import { filledArchive, gaugeDefinition } from '../helpers/archive-fixture.js';
import { runRingmon, type CommandRun } from '../helpers/ringmon-command.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-reshape-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = (name: string): string => join(dir, name);

type Run = CommandRun;

function ringmon(...args: string[]): Promise<Run> {
  return runRingmon(args, { cwd: dir });
}

const START = 1_700_000_000;
const definition = gaugeDefinition('temp', 10, 20, ['RRA:AVERAGE:0.5:1:2000', 'RRA:MAX:0.5:6:500']);

function archive(name: string, count = 1500): string {
  return filledArchive(path(name), definition, { start: START, count, value: (i) => 20 + Math.sin(i / 30) * 5 }, { initialRow: () => 0 });
}

describe('ringmon archive reshape', () => {
  it('prints its help', async () => {
    const run = await ringmon('archive', 'reshape', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: ringmon archive reshape FILE\.\.\./);
    expect(run.stdout).toContain('--retentions');
    expect((await ringmon('archive', '--help')).stdout).toMatch(/reshape +give archives a new step/);
  });

  it.runIf(rrdtoolAvailable())('reshapes to a 1 min step; its dump restores in rrdtool, which fetches the same rows', async () => {
    const file = archive('one.rma');
    const run = await ringmon('archive', 'reshape', 'one.rma', '--step', '1m');
    expect(run.stderr).toBe('reshaped one.rma: step 10 s -> 60 s, heartbeat 20 s -> 120 s, 2 -> 2 RRAs, 500 known values kept\n');
    expect(run.code).toBe(0);
    const info = archiveInfo(file);
    expect(info.step).toBe(60);
    expect(info.rra.map((r) => [r.cf, r.pdpPerRow, r.rows])).toEqual([['AVERAGE', 1, 334], ['MAX', 1, 500]]);
    const dump = await ringmon('archive', 'dump', 'one.rma');
    writeFileSync(path('one.xml'), dump.stdout);
    rrdtool('restore', path('one.xml'), path('one.rrd'));
    const end = START + 15_000;
    for (const cf of ['AVERAGE', 'MAX']) {
      const ours = JSON.parse((await ringmon('archive', 'fetch', 'one.rma', cf, '-s', String(end - 20_000), '-e', String(end), '-r', '60')).stdout);
      const theirs = parseRrdFetch(rrdtool('fetch', path('one.rrd'), cf, '-s', String(end - 20_000), '-e', String(end), '-r', '60'));
      expect(ours.rows.length).toBe(theirs.rows.length);
      ours.rows.forEach((row: (number | null)[], i: number) => {
        const other = theirs.rows[i];
        expect(row[0]).toBe(other[0]);
        if (row[1] === null || other[1] === null) expect(row[1]).toBe(other[1]);
        else expect(row[1]).toBeCloseTo(other[1], 8);
      });
      expect(ours.rows.filter((r: (number | null)[]) => r[1] !== null).length).toBeGreaterThan(240);
    }
  });

  it('fails on one line with exit 1, leaving the file as it was', async () => {
    const file = archive('bad.rma', 50);
    const bytes = readFileSync(file);
    const runs: Promise<{ args: string[]; run: Run }>[] = [];
    for (const args of [
      ['bad.rma', 'RRA:AVERAGE:0.5:1:0'],
      ['bad.rma', 'DS:temp:COUNTER:20:U:U'],
      ['bad.rma', 'DS:other:GAUGE:20:U:U'],
      ['missing.rma', '--step', '60'],
      ['bad.rma', '--retentions', '7s:1d', '--step', '10'],
    ]) {
      runs.push(ringmon('archive', 'reshape', ...args).then((run) => ({ args, run })));
    }
    // Independent invocations run concurrently: each start-up costs about half a second.
    for (const { args, run } of await Promise.all(runs)) {
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr.split('\n'), run.stderr).toHaveLength(2);
      expect(run.stderr).toMatch(/^ringmon archive reshape: /);
    }
    expect(readFileSync(file).equals(bytes)).toBe(true);
    const usage = await ringmon('archive', 'reshape', 'bad.rma', 'RRA:AVERAGE:0.5:1:10', '--retentions', '10s:1d');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^ringmon archive reshape: RRA:\.\.\. and --retentions contradict each other/);
  });

  it('reshapes every file a pattern matches with progress, reporting a bad one and going on', async () => {
    for (const n of [1, 2, 3]) archive(`many-${n}.rma`, 300);
    writeFileSync(path('many-4.rma'), 'not an archive');
    const run = await ringmon('archive', 'reshape', 'many-*.rma', '--retentions', '1m:1d,1h:30d', '--progress');
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines.filter((l) => /^ringmon archive reshape: \d+\/4 files$/.test(l)).at(-1)).toBe('ringmon archive reshape: 4/4 files');
    expect(lines.filter((l) => l.includes('many-4.rma'))).toHaveLength(1);
    expect(lines).toContain('reshaped 3 of 4 files');
    expect(lines.at(-1)).toBe('ringmon archive reshape: 1 of 4 files were not reshaped (see above)');
    for (const n of [1, 2, 3]) {
      expect(archiveInfo(path(`many-${n}.rma`)).rra.map((r) => [r.cf, r.pdpPerRow, r.rows])).toEqual([
        ['AVERAGE', 6, 1440],
        ['MAX', 6, 1440],
        ['AVERAGE', 360, 720],
        ['MAX', 360, 720],
      ]);
    }
  });
});
