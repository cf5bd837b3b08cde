/** Time specs: the grammar, start/end resolution, and agreement with rrdtool fetch's own parser. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/errors.js';
import { parseDurationOption, parseTimeSpec, resolveStartEnd, resolveTime } from '../../cli/time-spec.js';

const NOW = 1700000000.75;
const at = (text: string): number => resolveTime(parseTimeSpec(text, 't'), NOW, 't');
const range = (start: string, end: string): { start: number; end: number } =>
  resolveStartEnd(parseTimeSpec(start, '--start'), parseTimeSpec(end, '--end'), NOW);

describe('parseTimeSpec + resolve', () => {
  it('reads Unix seconds, now and N (whole seconds)', () => {
    expect(at('1600000000')).toBe(1600000000);
    expect(at('now')).toBe(1700000000);
    expect(at('N')).toBe(1700000000);
    expect(at('NOW')).toBe(1700000000);
  });
  it('reads fixed offsets in s, m (minutes) and h, chained', () => {
    expect(at('-90s')).toBe(1700000000 - 90);
    expect(at('now-5m')).toBe(1700000000 - 300);
    expect(at('now-2h')).toBe(1700000000 - 7200);
    expect(at('-1h30min')).toBe(1700000000 - 5400);
    expect(at('now - 1 hour + 10 seconds')).toBe(1700000000 - 3590);
    expect(at('1600000000+1minute')).toBe(1600000060);
  });
  it('reads days, weeks, months and years as calendar arithmetic', () => {
    expect(at('-1d')).toBe(1700000000 - 86400);
    expect(at('-2weeks')).toBe(1700000000 - 14 * 86400);
    const base = new Date(1700000000 * 1000);
    const monthAgo = new Date(base);
    monthAgo.setMonth(base.getMonth() - 1);
    expect(at('now-1mon')).toBe(monthAgo.getTime() / 1000);
    expect(at('now-1month')).toBe(monthAgo.getTime() / 1000);
    const yearAgo = new Date(base);
    yearAgo.setFullYear(base.getFullYear() - 1);
    expect(at('-1y')).toBe(yearAgo.getTime() / 1000);
  });
  it('resolves start and end relative to each other', () => {
    expect(range('end-1d', 'now')).toEqual({ start: 1700000000 - 86400, end: 1700000000 });
    expect(range('1600000000', 'start+1h')).toEqual({ start: 1600000000, end: 1600003600 });
    expect(range('e-2h', '-1h')).toEqual({ start: 1700000000 - 10800, end: 1700000000 - 3600 });
    expect(range('-1d', 's+1h')).toEqual({ start: 1700000000 - 86400, end: 1700000000 - 82800 });
  });
  it.each([
    ['', 'is empty'],
    ['yesterday', "unknown word 'yesterday'"],
    ['now-3x', "unknown unit 'x'"],
    ['now-1.5h', "has '-1.5h'"],
    ['now1h', "needs a + or - before '1h'"],
    ['-1', "has '-1' where an offset"],
  ])('refuses %j', (text, message) => {
    expect(() => parseTimeSpec(text, '--start')).toThrow(UsageError);
    expect(() => parseTimeSpec(text, '--start')).toThrow(message);
  });
  it('refuses start/end references where they make no sense', () => {
    expect(() => resolveTime(parseTimeSpec('end-1h', 'b'), NOW, '--start')).toThrow('relative to start or end');
    expect(() => range('start-1h', 'now')).toThrow('cannot be relative to itself');
    expect(() => range('end-1h', 'start+1h')).toThrow('both be relative');
  });
  it('reads duration options', () => {
    expect(parseDurationOption('300', '--step')).toBe(300);
    expect(parseDurationOption('5m', '--step')).toBe(300);
    expect(() => parseDurationOption('5x', '--step')).toThrow("--step: '5x' has trailing garbage");
  });
});

describe.skipIf(!existsSync('/usr/bin/rrdtool'))('agreement with rrdtool fetch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-timespec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * rrdtool's start and end for these specs, read from a step-1 archive's
   * fetch: the first row is at start + 1, and the last at end + 1, as fetch
   * moves an end already on a step boundary one step on.
   */
  function rrdtoolRange(start: string, end: string): { start: number; end: number } {
    const file = join(dir, 's1.rrd');
    if (!existsSync(file)) execFileSync('rrdtool', ['create', file, '-s', '1', '-b', '1000000000', 'DS:a:GAUGE:10:U:U', 'RRA:AVERAGE:0.5:1:10']);
    const lines = execFileSync('rrdtool', ['fetch', file, 'AVERAGE', '-s', start, '-e', end], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => /^\d+:/.test(l));
    return { start: Number(lines[0].split(':')[0]) - 1, end: Number(lines[lines.length - 1].split(':')[0]) - 1 };
  }

  it.each([
    ['1700000000-1d-2h', 'start+10s'],
    ['1700000000-1h30min', 'start+10s'],
    ['1700000000-6m', 'start+10s'],
    ['1700000000-1w', 'start+1min'],
    ['1700000000-1mon', 'start+10s'],
    ['1709251200-1y', 'start+10s'],
    ['end-10s', '1706659200+1mon'],
    ['end-1hour', '1709251200+2days'],
  ])('-s %s -e %s', (start, end) => {
    expect(range(start, end)).toEqual(rrdtoolRange(start, end));
  });
});
