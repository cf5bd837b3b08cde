/**
 * The web client's reasons for an empty graph, without a browser: which
 * series draw no line, in what order the reasons are tried, the range
 * offered for a series with no samples in the shown one, the words of the
 * drift and held badges with their units, and the overview's "problems"
 * toggle in the URL. (test/web/empty-graph.test.ts shows them in Chromium.)
 */
import { describe, expect, it } from 'vitest';
import type { FetchOutcome, SeriesDrift, SeriesInfo } from '../../web/src/api-types.js';
import { drawsNothing, whyEmpty } from '../../web/src/empty-reasons.js';
import { formatAge, formatDuration } from '../../web/src/format.js';
import { driftBadge, hasArchiveProblem, heldBadge } from '../../web/src/series-problems.js';
import { DEFAULT_STATE, readState, writeState } from '../../web/src/url-state.js';

const START = 1_800_000_000;
const END = START + 3600;

const fetched = (values: (number | null)[]): FetchOutcome => ({
  series: 'a.b',
  fetched: { series: 'a.b', start: START, step: 10, values },
});
const info = (over: Partial<SeriesInfo> = {}): SeriesInfo => ({
  series: 'a.b',
  lastUpdate: START + 1800,
  lastValue: 1,
  definition: { step: 10, dataSources: [{ name: 'value', heartbeat: 30 }] },
  ...over,
});
const SLOW: SeriesDrift = { kind: 'slow', observedInterval: 60, step: 10, heartbeat: 30, since: START };
const FAST: SeriesDrift = { kind: 'fast', observedInterval: 10, step: 3600, heartbeat: 7200, since: START };

describe('which series draw no line', () => {
  it('none for no rows, all unknown, or lone values between unknowns; a line for two neighbours', () => {
    expect(drawsNothing({ series: 'a.b', missing: "no series 'a.b'" })).toBe(true);
    expect(drawsNothing(fetched([]))).toBe(true);
    expect(drawsNothing(fetched([null, null, null]))).toBe(true);
    expect(drawsNothing(fetched([5, null, 7, null]))).toBe(true);
    expect(drawsNothing(fetched([null, 5, 6, null]))).toBe(false);
  });
});

describe('why a series draws nothing', () => {
  it('a 404: held when the listing or the server says so, else no samples yet', () => {
    const held = "series 'a.b' has 2 samples held since 2027-01-15T08:00:00Z while its cadence is learned";
    expect(whyEmpty({ series: 'a.b', missing: held }, undefined, START, END)).toEqual({ kind: 'held', series: 'a.b', message: held });
    expect(whyEmpty({ series: 'a.b', missing: 'x' }, info({ held: { samples: 2, since: START } }), START, END)?.kind).toBe('held');
    expect(whyEmpty({ series: 'a.b', missing: "no series 'a.b'" }, undefined, START, END)).toEqual({ kind: 'never', series: 'a.b' });
  });

  it('nothing when it draws a line, even with drift', () => {
    expect(whyEmpty(fetched([1, 2]), info({ drift: SLOW }), START, END)).toBeNull();
  });

  it('no samples in the range before its drift: the offered range has the last sample, as long as the shown one', () => {
    for (const lastUpdate of [START - 86_400, END + 7200]) {
      const r = whyEmpty(fetched([null, null]), info({ lastUpdate, drift: SLOW }), START, END);
      if (r?.kind !== 'outside') throw new Error(`expected outside, got ${JSON.stringify(r)}`);
      expect(r.lastUpdate).toBe(lastUpdate);
      expect(r.suggested.to - r.suggested.from).toBe(3600);
      expect(r.suggested.from).toBeLessThan(lastUpdate);
      expect(r.suggested.to).toBeGreaterThan(lastUpdate);
    }
  });

  it('slow drift in the range; otherwise unknown with the step and heartbeat of the listing, or the fetch alone', () => {
    expect(whyEmpty(fetched([null, 4, null]), info({ drift: SLOW }), START, END)).toEqual({ kind: 'drift', series: 'a.b', drift: SLOW, lastUpdate: START + 1800 });
    // Fast drift averages detail away; it does not empty a graph.
    expect(whyEmpty(fetched([null]), info({ drift: FAST }), START, END)).toEqual({ kind: 'unknown', series: 'a.b', step: 10, heartbeat: 30, lastUpdate: START + 1800 });
    expect(whyEmpty(fetched([null]), undefined, START, END)).toEqual({ kind: 'unknown', series: 'a.b', step: 10, heartbeat: null, lastUpdate: null });
  });
});

describe('the words, with units', () => {
  it('durations in s, min, h, d through one formatter, ages too', () => {
    expect([0.5, 10, 60, 119, 150, 300, 3600, 5400, 86_400, 172_800, 30 * 86_400].map(formatDuration)).toEqual([
      '0.5 s',
      '10 s',
      '60 s',
      '119 s',
      '2.5 min',
      '5 min',
      '1 h',
      '1.5 h',
      '24 h',
      '2 d',
      '30 d',
    ]);
    expect(formatAge(START - 42, START)).toBe('42 s ago');
    expect(formatAge(START - 3 * 3600, START)).toBe('3 h ago');
  });

  it('the drift and held badges', () => {
    expect(driftBadge(SLOW)).toBe('samples every 60 s; archive expects 10 s');
    expect(driftBadge(FAST)).toBe('samples every 10 s; archive keeps 1 h');
    expect(heldBadge({ samples: 1, since: START })).toMatch(/^held: 1 sample since /);
    expect([info(), info({ drift: SLOW }), info({ held: { samples: 2, since: START } }), undefined].map(hasArchiveProblem)).toEqual([false, true, true, false]);
  });

  it('the overview toggle for series with problems is kept in the URL, absent by default', () => {
    expect(writeState({ ...DEFAULT_STATE, problems: true })).toBe('?problems=1');
    expect(readState('?problems=1').problems).toBe(true);
    expect(readState('?problems=0')).toEqual(DEFAULT_STATE);
    expect(writeState({ ...DEFAULT_STATE, problems: false })).toBe('');
  });
});
