/**
 * The agent spool's on-disk format, version 2. This file is its
 * specification; spool-files.ts reads it, spool.ts writes it.
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
 *   ack              {"version":1,"acked":N}: the ack cursor, replaced atomically (ack.tmp, then rename)
 *   ack.tmp          a cursor being written; ignored and overwritten
 *   slurper-state/   not the spool's: the instances' ctx.stateDir folders (agent.ts); the spool ignores it
 *
 * All numbers are little-endian. Offsets are in bytes from the start of the block.
 *
 * POS 1  segment header (24 bytes)
 *   0  magic       4 bytes  "RMSP"
 *   4  version     u32      1 or 2 (SPOOL_VERSION, what this agent writes); see "Versions" below
 *   8  startSeq    f64      equals the file name; every record in the segment has a seq >= it
 *  16  reserved    u32      0
 *  20  crc32       u32      of bytes 0..20
 * POS 2  records, back to back until the end of the file (8-byte header + payload)
 *   0  length      u32      payload bytes, 1..MAX_RECORD_BYTES
 *   4  crc32       u32      of the payload
 *   8  payload     UTF-8 JSON: {"seq":N,"samples":[sample,...]}, each sample one of
 *                    [series, time, value]
 *                    [series, time, value, kind]
 *                    [series, time, value, kind | null, thresholds]
 *                  value null: unknown; kind, when the slurper declared one other than GAUGE:
 *                  COUNTER, DERIVE, ABSOLUTE, DCOUNTER, DDERIVE; thresholds, when the slurper
 *                  offered some: {"warning"?: range, "critical"?: range} (Nagios range text)
 *
 * A record counts as spooled once it was written and fdatasync'd. A crash
 * can only tear the end of the last segment: a record cut short, or one
 * whose checksum fails, is cut off there (truncated) when the agent starts.
 * The same damage inside an older segment means the disk lost data: the rest
 * of that segment is dropped, logged with the file and offset.
 *
 * The ack cursor is written without fsync on purpose: losing its latest
 * value (a power cut) only makes the agent send some acknowledged batches
 * again, which the server answers as already stored (duplicates), never
 * storing them twice. It is written before the segments it frees are deleted.
 *
 * Versions. 1: samples of 3 or 4 elements, kinds COUNTER, DERIVE, ABSOLUTE.
 * 2 adds the kinds DCOUNTER and DDERIVE and the 5-element sample. This
 * agent reads both (a version-1 record is a version-2 record) and starts
 * every new segment as version 2, so that an older agent started on the
 * same spool refuses the segment by its header instead of taking its
 * records for damage.
 */
import { crc32 } from 'node:zlib';
import { SAMPLE_KINDS, type SampleKind } from '../contract.js';

export const SPOOL_MAGIC = 'RMSP';
export const SPOOL_VERSION = 2;
const OLDEST_READABLE_VERSION = 1;
export const SEGMENT_HEADER_SIZE = 24;
export const RECORD_HEADER_SIZE = 8;
/** No batch a slurper run yields comes near this; a larger length is damage. */
export const MAX_RECORD_BYTES = 64 * 2 ** 20;

/** A sample as the spool keeps it and the server's ingest takes it (`t` Unix seconds, `v` null for unknown). */
export interface SpooledSample {
  readonly series: string;
  readonly t: number;
  readonly v: number | null;
  /** The DS type the slurper declared, sent along so the server creates the series' archive with it. */
  readonly kind?: SpooledKind;
  /** Thresholds the slurper offered, sent along for the server's alarms. */
  readonly thresholds?: SpooledThresholds;
}

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

const NAME_PATTERN = /^spool-(\d{16})\.rms$/;

export function segmentName(startSeq: number): string {
  return `spool-${String(startSeq).padStart(16, '0')}.rms`;
}

/** The start seq of a segment file name, or undefined for any other file. */
export function parseSegmentName(name: string): number | undefined {
  const match = NAME_PATTERN.exec(name);
  return match ? Number(match[1]) : undefined;
}

export function encodeSegmentHeader(startSeq: number): Buffer {
  const buf = Buffer.alloc(SEGMENT_HEADER_SIZE);
  buf.write(SPOOL_MAGIC, 0, 'latin1');
  buf.writeUInt32LE(SPOOL_VERSION, 4);
  buf.writeDoubleLE(startSeq, 8);
  buf.writeUInt32LE(crc32(buf.subarray(0, 20)), 20);
  return buf;
}

/** What is wrong with a segment header, or undefined when it is a readable header for `startSeq`. */
export function segmentHeaderProblem(bytes: Buffer, startSeq: number): string | undefined {
  if (bytes.length < SEGMENT_HEADER_SIZE) return `file is ${bytes.length} bytes, shorter than a spool segment header`;
  if (bytes.toString('latin1', 0, 4) !== SPOOL_MAGIC) return 'not a ringmon agent spool segment (bad magic)';
  if (bytes.readUInt32LE(20) !== crc32(bytes.subarray(0, 20))) return 'segment header fails its checksum';
  const version = bytes.readUInt32LE(4);
  if (version < OLDEST_READABLE_VERSION || version > SPOOL_VERSION) return `spool format version ${version}, this agent reads ${OLDEST_READABLE_VERSION} to ${SPOOL_VERSION}`;
  const stored = bytes.readDoubleLE(8);
  if (stored !== startSeq) return `header says the segment starts at seq ${stored}, the file name says ${startSeq}`;
  return undefined;
}

/** The shortest tuple that says all of `s`. */
function sampleTuple(s: SpooledSample): unknown[] {
  if (s.thresholds && (s.thresholds.warning !== undefined || s.thresholds.critical !== undefined)) return [s.series, s.t, s.v, s.kind ?? null, s.thresholds];
  return s.kind ? [s.series, s.t, s.v, s.kind] : [s.series, s.t, s.v];
}

/** A batch as one record (POS 2), header and payload in one buffer. */
export function encodeRecord(batch: SpooledBatch): Buffer {
  const payload = Buffer.from(JSON.stringify({ seq: batch.seq, samples: batch.samples.map(sampleTuple) }), 'utf8');
  const header = Buffer.allocUnsafe(RECORD_HEADER_SIZE);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
}

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

type SampleTuple = [string, number, number | null] | [string, number, number | null, SpooledKind] | [string, number, number | null, SpooledKind | null, SpooledThresholds];

const isRange = (x: unknown): boolean => x === undefined || typeof x === 'string';

function isThresholds(x: unknown): x is SpooledThresholds {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const { warning, critical, ...rest } = x as Record<string, unknown>;
  return Object.keys(rest).length === 0 && isRange(warning) && isRange(critical);
}

const isSampleTuple = (x: unknown): x is SampleTuple =>
  Array.isArray(x) &&
  (x.length === 3 || (x.length === 4 && SPOOLED_KINDS.has(x[3])) || (x.length === 5 && (x[3] === null || SPOOLED_KINDS.has(x[3])) && isThresholds(x[4]))) &&
  typeof x[0] === 'string' &&
  typeof x[1] === 'number' &&
  (x[2] === null || typeof x[2] === 'number');

function sampleOf([series, t, v, kind, thresholds]: SampleTuple): SpooledSample {
  const offered = thresholds && (thresholds.warning !== undefined || thresholds.critical !== undefined);
  return { series, t, v, ...(kind ? { kind } : {}), ...(offered ? { thresholds } : {}) };
}

export function decodeRecord(bytes: Buffer, at: number): RecordRead {
  if (bytes.length - at < RECORD_HEADER_SIZE) return { kind: 'cut', needed: RECORD_HEADER_SIZE };
  const length = bytes.readUInt32LE(at);
  if (length === 0 || length > MAX_RECORD_BYTES) return { kind: 'bad', problem: `record length ${length} is out of range` };
  const end = at + RECORD_HEADER_SIZE + length;
  if (end > bytes.length) return { kind: 'cut', needed: RECORD_HEADER_SIZE + length };
  const payload = bytes.subarray(at + RECORD_HEADER_SIZE, end);
  if (crc32(payload) !== bytes.readUInt32LE(at + 4)) return { kind: 'bad', problem: 'record fails its checksum' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    return { kind: 'bad', problem: 'record payload is not JSON' };
  }
  const { seq, samples } = (parsed ?? {}) as { seq?: unknown; samples?: unknown };
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1 || !Array.isArray(samples) || !samples.every(isSampleTuple)) {
    return { kind: 'bad', problem: 'record payload is not {seq, samples}' };
  }
  return { kind: 'record', batch: { seq, samples: samples.map(sampleOf) }, end };
}
