/**
 * What collect returned, checked and made whole: samples get the instance
 * prefix and a time, and anything that is not a CollectResult is refused
 * with a message naming the first fault (`samples[3].value: must be a
 * finite number or null, got NaN`). Slurper code is untrusted in this sense:
 * a JavaScript file has no compiler between it and the host.
 */
import { checkSeriesName, checkUnit, HOST_SERIES, isSeriesName, MAX_SERIES_LENGTH, SAMPLE_KINDS, type CheckState, type CheckStatus, type OfferedThresholds, type SampleKind, type SampleLabels } from '../contract.js';

/** A sample as the host hands it on: full series name, time always set. */
export interface Sample {
  /** `<instance>.<series>`, e.g. `web01.status`. */
  readonly series: string;
  /** null is an unknown; never NaN or ±Infinity. */
  readonly value: number | null;
  /** Unix seconds. */
  readonly time: number;
  readonly kind?: SampleKind;
  /** The unit of the value as sent (CollectedSample.unit), checked by checkUnit. */
  readonly unit?: string;
  readonly thresholds?: OfferedThresholds;
  /** Fields of the series' node, as the slurper gave them: the server checks each by the mapping file's rules. */
  readonly labels?: SampleLabels;
  /** The check state's message, on the host's `<instance>.state` sample only (state-series.ts). */
  readonly message?: string;
  /** Seconds between the instance's runs (schedule-interval.ts), set by the scheduler: the series' cadence for its archive. */
  readonly interval?: number;
}

/** collect's result with its faults refused; the samples are prefixed and timed. */
export interface CheckedResult {
  readonly samples: readonly Sample[];
  readonly state?: CheckState;
}

/** collect returned something that is not a CollectResult. */
export class GarbageResultError extends Error {
  override name = 'GarbageResultError';
}

const KINDS: readonly string[] = SAMPLE_KINDS;
const STATUSES: readonly CheckStatus[] = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];

function fault(where: string, problem: string): never {
  throw new GarbageResultError(`${where}: ${problem}`);
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function show(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) return String(value);
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  return Array.isArray(value) ? 'a list' : typeof value;
}

function checkThresholds(where: string, value: unknown): OfferedThresholds | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) fault(where, `must be { warning?, critical? }, got ${show(value)}`);
  for (const key of ['warning', 'critical']) {
    if (value[key] !== undefined && typeof value[key] !== 'string') fault(`${where}.${key}`, `must be a string (a Nagios range), got ${show(value[key])}`);
  }
  return { warning: value.warning as string | undefined, critical: value.critical as string | undefined };
}

/** Only the shape: the field rules (names, lengths, contacts) are the server's, which logs a label it refuses. */
function checkLabelShape(where: string, value: unknown): SampleLabels | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) fault(where, `must be { field: value, ... }, got ${show(value)}`);
  for (const [name, v] of Object.entries(value)) {
    const scalar = (x: unknown): boolean => typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x));
    if (!scalar(v) && !(Array.isArray(v) && v.every(scalar))) fault(`${where}.${name.slice(0, 64)}`, `must be a number, a string or a list of them, got ${show(v)}`);
  }
  return value as SampleLabels;
}

function checkSample(raw: unknown, where: string, instance: string, now: number): Sample {
  if (!isRecord(raw)) fault(where, `must be { series, value }, got ${show(raw)}`);
  const { series, value, time, kind, unit } = raw;
  if (typeof series !== 'string') fault(`${where}.series`, `must be dotted segments of A-Z a-z 0-9 _ -, got ${show(series)}`);
  const full = `${instance}.${series}`;
  if (full.length > MAX_SERIES_LENGTH) fault(`${where}.series`, `'${full.slice(0, 40)}...' is longer than ${MAX_SERIES_LENGTH} characters`);
  if (!isSeriesName(series)) {
    // The characters are what a slurper author gets wrong; a too-long segment (a file name in the store) is said as such.
    const problem = checkSeriesName(series);
    const segmentTooLong = problem?.startsWith('has a segment') === true;
    fault(`${where}.series`, segmentTooLong ? `${problem}, got '${series.slice(0, 40)}...'` : `must be dotted segments of A-Z a-z 0-9 _ -, got ${show(series)}`);
  }
  if (HOST_SERIES.includes(series)) fault(`${where}.series`, `'${series}' is written by the host; choose another name`);
  if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) fault(`${where}.value`, `must be a finite number or null, got ${show(value)}`);
  if (time !== undefined && (typeof time !== 'number' || !Number.isFinite(time) || time <= 0)) fault(`${where}.time`, `must be Unix seconds, got ${show(time)}`);
  if (kind !== undefined && (typeof kind !== 'string' || !KINDS.includes(kind))) fault(`${where}.kind`, `must be one of ${KINDS.join(', ')}, got ${show(kind)}`);
  const unitProblem = unit === undefined ? undefined : checkUnit(unit);
  if (unitProblem !== undefined) fault(`${where}.unit`, `${unitProblem}, got ${show(unit)}`);
  const thresholds = checkThresholds(`${where}.thresholds`, raw.thresholds);
  const labels = checkLabelShape(`${where}.labels`, raw.labels);
  return {
    series: full,
    value,
    time: time ?? now,
    ...(kind === undefined ? {} : { kind: kind as SampleKind }),
    ...(unit === undefined ? {} : { unit: unit as string }),
    ...(thresholds === undefined ? {} : { thresholds }),
    ...(labels === undefined ? {} : { labels }),
  };
}

function checkState(raw: unknown): CheckState | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) fault('state', `must be { status, message }, got ${show(raw)}`);
  if (!STATUSES.includes(raw.status as CheckStatus)) fault('state.status', `must be one of ${STATUSES.join(', ')}, got ${show(raw.status)}`);
  if (typeof raw.message !== 'string') fault('state.message', `must be a string, got ${show(raw.message)}`);
  return { status: raw.status as CheckStatus, message: raw.message };
}

/** Checks `raw` (what collect resolved to) and prefixes its series; throws GarbageResultError. */
export function checkCollectResult(raw: unknown, instance: string, now: number): CheckedResult {
  const list = Array.isArray(raw) ? raw : isRecord(raw) ? raw.samples : undefined;
  if (!Array.isArray(list)) fault('result', `must be a list of samples or { samples, state }, got ${show(raw)}`);
  const samples = list.map((sample, i) => checkSample(sample, `samples[${i}]`, instance, now));
  const seen = new Set<string>();
  samples.forEach((sample, i) => {
    const key = `${sample.series}@${sample.time}`;
    if (seen.has(key)) fault(`samples[${i}].series`, `'${sample.series.slice(instance.length + 1)}' appears twice at the same time`);
    seen.add(key);
  });
  const state = Array.isArray(raw) ? undefined : checkState((raw as Record<string, unknown>).state);
  return state === undefined ? { samples } : { samples, state };
}
