/**
 * What the host knows about each instance between runs: the last outcome,
 * counts, and whether it is failing. Failures are logged once per change
 * of state — the first failure, and the recovery — not on every run, so a
 * target that is down for a day writes two lines, not 2,880.
 */
import type { SlurperLogger } from '../contract.js';
import type { RunOutcome } from './run-once.js';

/** One instance's run-time record, kept by the scheduler (never by the slurper). */
export interface InstanceHealth {
  readonly instance: string;
  readonly slurper: string;
  /** undefined until the first run finishes. */
  readonly ok?: boolean;
  /** Unix seconds at which the last finished run started. */
  readonly lastRunAt?: number;
  readonly lastError?: string;
  readonly lastDurationSeconds?: number;
  readonly runs: number;
  readonly failures: number;
  /** Turns not taken because the previous run was still queued or running. */
  readonly skipped: number;
  /** The last time the sink refused this instance's samples, if it still does. */
  readonly sinkError?: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Keeps InstanceHealth records and logs their changes of state. */
export class HealthBook {
  private readonly records = new Map<string, Mutable<InstanceHealth>>();

  constructor(private readonly log: SlurperLogger) {}

  add(instance: string, slurper: string): void {
    this.records.set(instance, { instance, slurper, runs: 0, failures: 0, skipped: 0 });
  }

  /** Drops the record of an instance no longer run (removed by a reload). */
  forget(instance: string): void {
    this.records.delete(instance);
  }

  /** Records a finished run; logs when the instance starts failing or recovers. */
  recordRun(instance: string, startedAt: number, outcome: RunOutcome): void {
    const record = this.get(instance);
    const wasOk = record.ok;
    record.runs += 1;
    record.ok = outcome.ok;
    record.lastRunAt = startedAt;
    record.lastDurationSeconds = outcome.durationSeconds;
    if (outcome.ok) {
      record.lastError = undefined;
      if (wasOk === false) this.log.info({ instance, slurper: record.slurper }, `${instance}: recovered`);
    } else {
      record.failures += 1;
      record.lastError = outcome.error;
      if (wasOk !== false) this.log.warn({ instance, slurper: record.slurper, error: outcome.error }, `${instance}: failing: ${outcome.error}`);
    }
  }

  recordSkip(instance: string): void {
    const record = this.get(instance);
    record.skipped += 1;
    this.log.debug({ instance }, `${instance}: previous run still queued or running; this turn is skipped`);
  }

  /** Records whether the sink took the samples; logs when it starts or stops refusing them. */
  recordSink(instance: string, error: string | undefined): void {
    const record = this.get(instance);
    if (error !== undefined && record.sinkError === undefined) this.log.error({ instance, error }, `${instance}: samples could not be stored: ${error}`);
    if (error === undefined && record.sinkError !== undefined) this.log.info({ instance }, `${instance}: samples are stored again`);
    record.sinkError = error;
  }

  snapshot(): InstanceHealth[] {
    return [...this.records.values()].map((r) => ({ ...r }));
  }

  private get(instance: string): Mutable<InstanceHealth> {
    const record = this.records.get(instance);
    if (record === undefined) throw new Error(`no health record for instance ${instance}`);
    return record;
  }
}
