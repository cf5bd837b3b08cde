/**
 * The agent spool's on-disk format, version 3. This file is its
 * specification; spool-files.ts reads it, spool.ts writes it. Segments,
 * their header (POS 1) and the record framing (POS 2) are the shared segment
 * log's (lib/segment-log/), parameterized here by SPOOL_FORMAT.
 *
 * Glossary:
 *   batch    the samples of one run of one instance, as the scheduler sank them
 *   seq      1, 2, 3, ... in the order batches were spooled (gaps allowed: a failed write uses one up)
 *   record   one batch on disk
 *   segment  a file of records; a new one is started past `segmentBytes` and at every start of the agent
 *   ack      the highest seq the server has answered for: every batch at or below it is done
 *
 * The spool directory holds:
 *   spool-<seq>.rms  segments; <seq> = the seq the segment was started at, 16 decimal digits, zero padded
 *   ack              {"version":1,"acked":N}: the ack cursor, replaced atomically (lib/durable-file.ts)
 *   .ack.*.tmp       a cursor being written when a crash came; ignored
 *   slurper-state/   not the spool's: the instances' ctx.stateDir folders (agent.ts); the spool ignores it
 *
 * All numbers are little-endian. Offsets are in bytes from the start of the block.
 *
 * POS 1  segment header (24 bytes)
 *   0  magic       4 bytes  "RMSP"
 *   4  version     u32      1 to 3 (SPOOL_VERSION, what this agent writes); see "Versions" below
 *   8  startSeq    f64      equals the file name; every record in the segment has a seq >= it
 *  16  reserved    u32      0
 *  20  crc32       u32      of bytes 0..20
 * POS 2  records, back to back until the end of the file (8-byte header + payload)
 *   0  length      u32      payload bytes, 1..MAX_RECORD_BYTES
 *   4  crc32       u32      of the payload
 *   8  payload     UTF-8 JSON: {"seq":N,"interval"?:I,"labels"?:L,"units"?:U,"samples":[sample,...]}, each sample one of
 *                    [series, time, value]
 *                    [series, time, value, kind]
 *                    [series, time, value, kind | null, thresholds]
 *                    [series, time, value, kind | null, thresholds | null, message]
 *                  value null: unknown; kind, when the slurper declared one other than GAUGE:
 *                  COUNTER, DERIVE, ABSOLUTE, DCOUNTER, DDERIVE; thresholds, when the slurper
 *                  offered some: {"warning"?: range, "critical"?: range} (Nagios range text);
 *                  message, when the sample has one (a check state's line, on <instance>.state):
 *                  a string. Each sample takes the shortest form that says all of it.
 *                  interval, when the batch's samples declare one (the instance's `every`, or its
 *                  cron's shortest gap): seconds > 0, the cadence of every series of the batch.
 *                  labels, when samples carry some (fields of their series' node): an object
 *                  {"<series>": {"<field>": value, ...}, ...}, a value a number, a string or a
 *                  list of them (lib/node-fields.ts); they go with every sample of that series.
 *                  units, when samples declare one: {"<series>": "<unit>", ...} (checkUnit's
 *                  text); it goes with every sample of that series.
 *
 * A record counts as spooled once it was written and fdatasync'd. A crash
 * can only tear the end of the last segment: a record cut short, or one
 * whose checksum fails, is cut off there (truncated) when the agent starts.
 * The same damage inside an older segment means the disk lost data: the rest
 * of that segment is dropped, logged with the file and offset (the segment
 * log's 'truncate' policy).
 *
 * The ack cursor is replaced durably, as every small file ringmon writes, and
 * before the segments it frees are deleted. Were its latest value lost, the
 * agent would only send some acknowledged batches again, which the server
 * answers as already stored (duplicates), never storing them twice.
 *
 * Versions. 1: samples of 3 or 4 elements, kinds COUNTER, DERIVE, ABSOLUTE.
 * 2 adds the kinds DCOUNTER and DDERIVE and the 5-element sample. 3 adds
 * the 6-element sample (a message). This agent reads all three (a record
 * of an older version is a record of a newer one) and starts every new
 * segment as version 3, messages or not, so that an older agent started on
 * the same spool refuses the segment by its header instead of taking its
 * records for damage. `interval` came later within version 3: an agent
 * without it reads such a record and only leaves the interval out, so it
 * needed no new version. `labels` came the same way: an agent without it
 * reads the record's samples and leaves the labels out; `units` likewise.
 */
import { encodeFrame, headerSize, readFrame, segmentFileName, type LogFormat } from '../../lib/segment-log/index.js';
import type { FieldValue } from '../../lib/node-fields.js';
import { checkUnit, SAMPLE_KINDS, type SampleKind } from '../contract.js';

export const SPOOL_MAGIC = 'RMSP';
export const SPOOL_VERSION = 3;
/** No batch a slurper run yields comes near this; a larger length is damage. */
export const MAX_RECORD_BYTES = 64 * 2 ** 20;

/** POS 1 and POS 2 as the segment log's parameters: a 24-byte header without float cookie, an 8-byte record header without meta. */
export const SPOOL_FORMAT: LogFormat = {
  naming: { prefix: 'spool-', extension: '.rms' },
  header: { magic: SPOOL_MAGIC, version: SPOOL_VERSION, oldestReadable: 1, floatCookie: false, label: 'ringmon agent spool segment', versionName: 'spool', reader: 'agent' },
  frame: { metaBytes: 0, headerCrc: false, minLength: 1, maxLength: MAX_RECORD_BYTES },
};
export const SEGMENT_HEADER_SIZE = headerSize(SPOOL_FORMAT.header);

/** A sample as the spool keeps it and the server's ingest takes it (`t` Unix seconds, `v` null for unknown). */
export interface SpooledSample {
  readonly series: string;
  readonly t: number;
  readonly v: number | null;
  /** The DS type the slurper declared, sent along so the server creates the series' archive with it. */
  readonly kind?: SpooledKind;
  /** Thresholds the slurper offered, sent along for the server's alarms. */
  readonly thresholds?: SpooledThresholds;
  /** A line about the sample (a check state's message), sent along as the series' last message. */
  readonly message?: string;
  /** Seconds between the series' samples (its instance's schedule), sent along so the server's archive fits them. */
  readonly interval?: number;
  /** Fields of the series' node the slurper gave (checked: spooled-sample.ts), sent along for the server's node metadata. */
  readonly labels?: SpooledLabels;
  /** The unit the slurper declared for the value, sent along so the server lists the series with it. */
  readonly unit?: string;
}

/** A sample's labels as spooled: the fields of its series' node. */
export type SpooledLabels = Readonly<Record<string, FieldValue>>;

/** The kinds a spool records; GAUGE is the default and is left out. */
export type SpooledKind = Exclude<SampleKind, 'GAUGE'>;
const SPOOLED_KINDS: ReadonlySet<unknown> = new Set(SAMPLE_KINDS.filter((k) => k !== 'GAUGE'));

/** Offered thresholds as spooled: Nagios range text. Written only with at least one of the two; `{}` reads as none. */
export interface SpooledThresholds {
  readonly warning?: string;
  readonly critical?: string;
}

/** One spooled batch, in the order it was spooled. */
export interface SpooledBatch {
  readonly seq: number;
  readonly samples: readonly SpooledSample[];
}

export function segmentName(startSeq: number): string {
  return segmentFileName(SPOOL_FORMAT.naming, startSeq);
}

/** The shortest tuple that says all of `s`. */
function sampleTuple(s: SpooledSample): unknown[] {
  const offered = s.thresholds && (s.thresholds.warning !== undefined || s.thresholds.critical !== undefined);
  if (s.message !== undefined) return [s.series, s.t, s.v, s.kind ?? null, offered ? s.thresholds : null, s.message];
  if (offered) return [s.series, s.t, s.v, s.kind ?? null, s.thresholds];
  return s.kind ? [s.series, s.t, s.v, s.kind] : [s.series, s.t, s.v];
}

/** A batch as one record (POS 2), header and payload in one buffer. */
export function encodeRecord(batch: SpooledBatch): Buffer {
  const payload = { seq: batch.seq, ...batchInterval(batch.samples), ...batchLabels(batch.samples), ...batchUnits(batch.samples), samples: batch.samples.map(sampleTuple) };
  return encodeFrame(SPOOL_FORMAT.frame, Buffer.from(JSON.stringify(payload), 'utf8'));
}

/** `{ interval }` when every sample of the batch declares the same one (a batch is one run of one instance), else nothing. */
function batchInterval(samples: readonly SpooledSample[]): { interval?: number } {
  const interval = samples[0]?.interval;
  return interval !== undefined && samples.every((s) => s.interval === interval) ? { interval } : {};
}

/** What samples of the batch carry for their series (`pick`), by series; undefined when none carries it. */
function bySeries<T>(samples: readonly SpooledSample[], pick: (s: SpooledSample) => T | undefined): Record<string, T> | undefined {
  let out: Record<string, T> | undefined;
  for (const s of samples) {
    const value = pick(s);
    // defineProperty: a series named __proto__ is a key like any other.
    if (value !== undefined) Object.defineProperty((out ??= {}), s.series, { value, enumerable: true, configurable: true });
  }
  return out;
}

/** `{ labels }` by series when samples of the batch carry some, else nothing. */
function batchLabels(samples: readonly SpooledSample[]): { labels?: Record<string, SpooledLabels> } {
  const labels = bySeries(samples, (s) => s.labels);
  return labels === undefined ? {} : { labels };
}

/** `{ units }` by series when samples of the batch declare one, else nothing. */
function batchUnits(samples: readonly SpooledSample[]): { units?: Record<string, string> } {
  const units = bySeries(samples, (s) => s.unit);
  return units === undefined ? {} : { units };
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isScalar = (x: unknown): boolean => typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x));
const isLabels = (x: unknown): x is SpooledLabels => isRecord(x) && Object.values(x).every((v) => isScalar(v) || (Array.isArray(v) && v.every(isScalar)));

/**
 * The record at `at` in `bytes`:
 * - `record`: whole and valid, ending at `end`;
 * - `cut`: `bytes` ends inside it (read more, or at the end of a file: a torn write);
 * - `bad`: damaged (checksum, length or payload), with why.
 */
export type RecordRead =
  | { readonly kind: 'record'; readonly batch: SpooledBatch; readonly end: number }
  | { readonly kind: 'cut'; readonly needed: number }
  | { readonly kind: 'bad'; readonly problem: string };

type SampleTuple =
  | [string, number, number | null]
  | [string, number, number | null, SpooledKind]
  | [string, number, number | null, SpooledKind | null, SpooledThresholds]
  | [string, number, number | null, SpooledKind | null, SpooledThresholds | null, string];

const isRange = (x: unknown): boolean => x === undefined || typeof x === 'string';

function isThresholds(x: unknown): x is SpooledThresholds {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const { warning, critical, ...rest } = x as Record<string, unknown>;
  return Object.keys(rest).length === 0 && isRange(warning) && isRange(critical);
}

const isKindOrNull = (x: unknown): boolean => x === null || SPOOLED_KINDS.has(x);

/** Whether the elements after the value are one of the forms above. */
function isTail(x: readonly unknown[]): boolean {
  switch (x.length) {
    case 3:
      return true;
    case 4:
      return SPOOLED_KINDS.has(x[3]);
    case 5:
      return isKindOrNull(x[3]) && isThresholds(x[4]);
    case 6:
      return isKindOrNull(x[3]) && (x[4] === null || isThresholds(x[4])) && typeof x[5] === 'string';
    default:
      return false;
  }
}

const isSampleTuple = (x: unknown): x is SampleTuple =>
  Array.isArray(x) &&
  isTail(x) &&
  typeof x[0] === 'string' &&
  typeof x[1] === 'number' &&
  (x[2] === null || typeof x[2] === 'number');

function sampleOf([series, t, v, kind, thresholds, message]: SampleTuple): SpooledSample {
  const offered = thresholds && (thresholds.warning !== undefined || thresholds.critical !== undefined);
  return { series, t, v, ...(kind ? { kind } : {}), ...(offered ? { thresholds } : {}), ...(message === undefined ? {} : { message }) };
}

export function decodeRecord(bytes: Buffer, at: number): RecordRead {
  const read = readFrame(SPOOL_FORMAT.frame, bytes, at);
  if (read.kind === 'cut') return read;
  if (read.kind === 'bad') return { kind: 'bad', problem: read.detail };
  const batch = decodePayload(bytes.subarray(read.payloadStart, read.end));
  return typeof batch === 'string' ? { kind: 'bad', problem: batch } : { kind: 'record', batch, end: read.end };
}

const ownValue = <T>(record: Record<string, T> | undefined, key: string): T | undefined => (record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined);

/** A record's payload as a batch, or what is wrong with it. */
export function decodePayload(payload: Buffer): SpooledBatch | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    return 'record payload is not JSON';
  }
  const { seq, samples, interval, labels, units } = (parsed ?? {}) as { seq?: unknown; samples?: unknown; interval?: unknown; labels?: unknown; units?: unknown };
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1 || !Array.isArray(samples) || !samples.every(isSampleTuple)) {
    return 'record payload is not {seq, samples}';
  }
  if (interval !== undefined && (typeof interval !== 'number' || !(interval > 0) || !Number.isFinite(interval))) return 'record interval is not a positive number of seconds';
  if (labels !== undefined && !(isRecord(labels) && Object.values(labels).every(isLabels))) return 'record labels are not {series: {field: value}}';
  if (units !== undefined && !(isRecord(units) && Object.values(units).every((u) => checkUnit(u) === undefined))) return 'record units are not {series: unit}';
  const labelsOf = (series: string) => ownValue(labels as Record<string, SpooledLabels> | undefined, series);
  const unitOf = (series: string) => ownValue(units as Record<string, string> | undefined, series);
  return {
    seq,
    samples: samples.map((tuple) => {
      const sample = sampleOf(tuple);
      const own = labelsOf(sample.series);
      const unit = unitOf(sample.series);
      return { ...sample, ...(interval === undefined ? {} : { interval }), ...(own === undefined ? {} : { labels: own }), ...(unit === undefined ? {} : { unit }) };
    }),
  };
}
