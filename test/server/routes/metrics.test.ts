/**
 * The /metrics text: each of the alarm engine's counters as a HELP, a TYPE
 * and a sample line, moving with the engine's stats; none of them for a
 * server without alarms.
 */
import { describe, expect, it } from 'vitest';
import type { EngineStats } from '../../../server/alarms/index.js';
import { exposition } from '../../../server/routes/metrics.js';
import type { StoreStats } from '../../../server/store/index.js';

const STORE: StoreStats = { samplesIngested: 7, samplesRejected: 0, samplesFlushed: 0, samplesSkipped: 0, samplesDropped: 0, samplesQuarantined: 0, quarantineRotatedSamples: 0, quarantineBytes: 0, pending: 7, flushFailures: 0, seriesReshaped: 0, flushes: 0, lastFlushMs: 0, openArchives: 0, seriesDriftingSlow: 1, seriesDriftingFast: 0, driftDetected: 2, seriesRefusedDisk: 0, seriesRefusedLimit: 0, seriesRefusedRate: 0, diskFreeBytes: 0 };
const ALARMS: EngineStats = { transitions: 4, notices: 2, suppressed: 0, inhibited: 0, commitFailures: 0, queued: 0, dropped: 0, limit: 10_000 };

/** The three lines of one metric. */
const block = (text: string, name: string): string[] => {
  const lines = text.split('\n');
  const at = lines.indexOf(lines.find((l) => l.startsWith(`# HELP ${name} `)) ?? '');
  return at === -1 ? [] : lines.slice(at, at + 3);
};

describe('the alarm metrics', () => {
  it('are HELP, TYPE and value lines that follow the engine', () => {
    const before = exposition(STORE, 100, ALARMS);
    const after = exposition(STORE, 100, { ...ALARMS, commitFailures: 3, inhibited: 5, queued: 10, dropped: 250, limit: 10 });
    for (const [name, type, was, is] of [
      ['ringmon_alarm_commit_failures_total', 'counter', 0, 3],
      ['ringmon_alarm_transitions_dropped_total', 'counter', 0, 250],
      ['ringmon_alarm_transitions_inhibited_total', 'counter', 0, 5],
      ['ringmon_alarm_transitions_pending', 'gauge', 0, 10],
      ['ringmon_alarm_transitions_pending_limit', 'gauge', 10_000, 10],
    ] as const) {
      expect(block(before, name).slice(1), name).toEqual([`# TYPE ${name} ${type}`, `${name} ${was}`]);
      expect(block(after, name).slice(1), name).toEqual([`# TYPE ${name} ${type}`, `${name} ${is}`]);
      expect(block(after, name)[0]).toMatch(new RegExp(`^# HELP ${name} [A-Za-z].*\\.$`));
    }
    expect(after.endsWith('\n')).toBe(true);
  });

  it('are absent without an alarm engine, the rest unchanged', () => {
    const without = exposition(STORE, 100);
    expect(without).not.toContain('ringmon_alarm_');
    expect(exposition(STORE, 100, ALARMS).startsWith(without)).toBe(true);
    expect(block(without, 'ringmon_samples_ingested_total')).toEqual([
      '# HELP ringmon_samples_ingested_total Samples accepted and durable in the journal.',
      '# TYPE ringmon_samples_ingested_total counter',
      'ringmon_samples_ingested_total 7',
    ]);
  });
});
