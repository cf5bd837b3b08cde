/**
 * The quarantine: acknowledged samples the store can never apply (its
 * archive refuses them, or is damaged, or is a folder; the file cannot be
 * created), kept so that they are reported, not lost, and do not hold the
 * journal checkpoint back for ever. A full disk is not a reason: it passes,
 * and those samples stay pending (mayRetry).
 *
 * A sample is first staged (no longer pending), then written by commit(),
 * which the flush calls before it checkpoints the journal: the checkpoint
 * never passes a staged sample that is not yet durable here, so a crash
 * before commit replays it and stages it again.
 *
 * The file `<dataDir>/quarantine/samples.jsonl` (owner-only) holds one JSON
 * object a line, appended, never rewritten:
 *   {"at":1796635641,"series":"a.b","t":1700000000,"v":1.5,"reason":"..."}
 * `at` is when it was quarantined; `v` is a number, null (unknown), or the
 * text "inf", "-inf" or "nan"; a reason longer than MAX_REASON_LENGTH is
 * cut. A line cut short by a crash is skipped by readers.
 *
 * Its room is bounded (`quarantine.maxBytes`, quarantine-config.ts): a
 * line that would take the file past the bound first rotates it to
 * `samples.jsonl.1`, which replaces the previous one, so the two files hold
 * at most 2 × maxBytes. The samples of the replaced file are gone: they
 * were reported (logged once per series when quarantined), and are now
 * reported again, once per rotation (a warning with their number and when
 * they were quarantined) and in the counter quarantineRotatedSamples. So an
 * acknowledged sample is stored, or kept here, or reported as rotated away.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FILE_MODE, makeDirectorySync, syncDirectorySync } from '../../lib/durable-file.js';
import type { PendingSample } from './apply.js';
import { DEFAULT_QUARANTINE_MAX_BYTES } from './quarantine-config.js';
import type { StoreLogger, StoreStats } from './store-stats.js';

/** One quarantined sample as the file holds it. */
export interface QuarantinedSample {
  readonly at: number;
  readonly series: string;
  readonly t: number;
  readonly v: number | string | null;
  readonly reason: string;
}

/** System errors that pass (a full disk, an I/O error, too many open files): their samples stay pending and are tried again. */
const PASSING_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EMFILE', 'ENFILE', 'ENOMEM', 'EAGAIN', 'EBUSY', 'EINTR', 'ETIMEDOUT', 'ESTALE']);

/** Whether the store should keep samples pending after `error` (it may pass), rather than quarantine them. */
export function mayRetry(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && PASSING_ERRORS.has(code);
}

/** The longest reason a line keeps, in characters: with the longest series name, a line stays far below the smallest bound. */
export const MAX_REASON_LENGTH = 1024;

/** The quarantine file under `dataDir`. */
export function quarantineFile(dataDir: string): string {
  return join(dataDir, 'quarantine', 'samples.jsonl');
}

/** The previous quarantine file, which the last rotation made of `file`. */
export function previousQuarantineFile(file: string): string {
  return `${file}.1`;
}

/**
 * Every sample in the quarantine files of `dataDir` (the previous, then the
 * current), oldest first; none when there is no file. Reads them whole: for
 * tests and tools; the API reads newest first, in bounded memory
 * (quarantine-reader.ts).
 */
export function readQuarantine(dataDir: string): QuarantinedSample[] {
  const file = quarantineFile(dataDir);
  const found: QuarantinedSample[] = [];
  for (const path of [previousQuarantineFile(file), file]) {
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const sample = parseQuarantineLine(line);
      if (sample) found.push(sample);
    }
  }
  return found;
}

/** One line of the file as a sample; undefined for an empty line, one cut short by a crash (its samples are staged again from the journal) or one no quarantine wrote. */
export function parseQuarantineLine(line: string): QuarantinedSample | undefined {
  if (line === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as { series?: unknown }).series === 'string' ? (parsed as QuarantinedSample) : undefined;
  } catch {
    return undefined;
  }
}

/** Bytes read at once when a file is scanned. */
const LINE_WINDOW = 1 << 16;

/** Bytes of `path`, 0 when it does not exist. */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
}

/** The lines of a quarantine file that is about to be replaced, and when its first and last were quarantined; read in chunks. */
function describeLines(path: string): { samples: number; from?: number; to?: number } {
  if (!existsSync(path)) return { samples: 0 };
  const fd = openSync(path, 'r');
  try {
    const size = statSync(path).size;
    const chunk = Buffer.alloc(LINE_WINDOW);
    let samples = 0;
    for (let position = 0; position < size; ) {
      const n = readSync(fd, chunk, 0, chunk.length, position);
      if (n === 0) break;
      for (let nl = chunk.indexOf(0x0a); nl !== -1 && nl < n; nl = chunk.indexOf(0x0a, nl + 1)) samples++;
      position += n;
    }
    // A line is a few kB at most: the first and the last are within the first and the last window.
    const head = chunk.subarray(0, readSync(fd, chunk, 0, chunk.length, 0)).toString('utf8');
    const tailStart = Math.max(0, size - LINE_WINDOW);
    const tail = chunk.subarray(0, readSync(fd, chunk, 0, chunk.length, tailStart)).toString('utf8').split('\n');
    const lastWhole = tail.length >= 2 ? tail[tail.length - 2] : '';
    return { samples, from: parseQuarantineLine(head.split('\n')[0])?.at, to: parseQuarantineLine(lastWhole)?.at };
  } finally {
    closeSync(fd);
  }
}

interface Staged {
  readonly series: string;
  readonly sample: PendingSample;
  readonly reason: string;
}

const valueText = (v: number | null): number | string | null => (v === null || Number.isFinite(v) ? v : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');

/** The counters a Quarantine keeps up to date (the store's). */
export type QuarantineCounters = Pick<StoreStats, 'samplesQuarantined' | 'quarantineRotatedSamples' | 'quarantineBytes'>;

export class Quarantine {
  private staged: Staged[] = [];
  private readonly logged = new Set<string>();
  /** A commit failed and may have left part of a line: the next starts on a new line. */
  private cut = false;
  readonly file: string;
  private readonly previous: string;
  /** Bytes of the current file and of the previous one, as last seen. */
  private bytes: { current: number; previous: number } | undefined;

  constructor(
    dataDir: string,
    private readonly log: StoreLogger,
    /** samplesQuarantined is bumped by the number of samples each commit writes, quarantineRotatedSamples by those a rotation lets go; quarantineBytes is the two files' size. */
    private readonly counters: QuarantineCounters,
    private readonly now: () => number,
    /** `quarantine.maxBytes`: the most the current file holds; the previous one holds as much. */
    private readonly maxBytes: number = DEFAULT_QUARANTINE_MAX_BYTES,
  ) {
    this.file = quarantineFile(dataDir);
    this.previous = previousQuarantineFile(this.file);
    try {
      this.sizes();
    } catch {
      // Unreadable now: the first commit tries again, and reports it.
    }
  }

  /** The files' sizes, read once and then kept up to date. */
  private sizes(): { current: number; previous: number } {
    this.bytes ??= { current: sizeOf(this.file), previous: sizeOf(this.previous) };
    this.counters.quarantineBytes = this.bytes.current + this.bytes.previous;
    return this.bytes;
  }

  /** Samples staged and not yet written. */
  get size(): number {
    return this.staged.length;
  }

  /** Takes `samples` of `series` out of the store's hands, for `reason`; logged once per series. */
  stage(series: string, samples: readonly PendingSample[], reason: string): void {
    if (samples.length === 0) return;
    for (const sample of samples) this.staged.push({ series, sample, reason });
    if (this.logged.has(series)) return;
    this.logged.add(series);
    const [first] = samples;
    this.log.error({ series, time: first.time, value: first.value, samples: samples.length, reason, file: this.file }, `series store: ${series} cannot take these samples (${reason}); quarantined, and so are its later samples that fail alike`);
  }

  /** The journal batch of the oldest staged sample, or Infinity: the checkpoint must stay below it. */
  oldestSeq(): number {
    let oldest = Infinity;
    for (const { sample } of this.staged) oldest = Math.min(oldest, sample.seq);
    return oldest;
  }

  /**
   * Appends the staged samples to the file and syncs it, rotating it first
   * whenever a line would take it past maxBytes. Throws the system's error;
   * the samples then stay staged (some may be written twice: a reader sees
   * the same sample again, never a sample lost).
   */
  commit(): void {
    if (this.staged.length === 0) return;
    const at = Math.floor(this.now());
    const lines = this.staged.map(({ series, sample, reason }) =>
      Buffer.from(`${JSON.stringify({ at, series, t: sample.time, v: valueText(sample.value), reason: reason.slice(0, MAX_REASON_LENGTH) })}\n`, 'utf8'),
    );
    const dir = join(this.file, '..');
    makeDirectorySync(dir);
    // Read again: an operator may have removed or moved the files since.
    this.bytes = undefined;
    const sizes = this.sizes();
    let batch: Buffer[] = [];
    // A newline first, after a write cut short.
    let batchBytes = this.cut ? 1 : 0;
    for (const line of lines) {
      if (sizes.current + batchBytes + line.length > this.maxBytes && sizes.current + batchBytes > 0) {
        this.append(batch);
        batch = [];
        batchBytes = 0;
        this.rotate(dir);
      }
      batch.push(line);
      batchBytes += line.length;
    }
    this.append(batch);
    this.counters.samplesQuarantined += this.staged.length;
    this.staged = [];
  }

  /** Appends `lines` to the current file and syncs it (and its folder when it is new). */
  private append(lines: readonly Buffer[]): void {
    if (lines.length === 0) return;
    const sizes = this.sizes();
    const bytes = Buffer.concat(this.cut ? [Buffer.from('\n'), ...lines] : lines);
    const isNew = !existsSync(this.file);
    this.cut = true;
    const fd = openSync(this.file, 'a', FILE_MODE);
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
      // What the file holds now, whole lines or not.
      sizes.current = sizeOf(this.file);
      this.counters.quarantineBytes = sizes.current + sizes.previous;
    }
    if (isNew) syncDirectorySync(join(this.file, '..'));
    this.cut = false;
  }

  /** Makes the current file the previous one (replacing it: its samples are reported as rotated away) and starts a new one. */
  private rotate(dir: string): void {
    const sizes = this.sizes();
    const gone = describeLines(this.previous);
    try {
      renameSync(this.file, this.previous);
    } catch (e) {
      // Removed meanwhile: there is nothing to rotate, and the previous file stays.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      sizes.current = 0;
      return;
    }
    syncDirectorySync(dir);
    sizes.previous = sizes.current;
    sizes.current = 0;
    this.cut = false;
    this.counters.quarantineBytes = sizes.previous;
    if (gone.samples === 0) return;
    this.counters.quarantineRotatedSamples += gone.samples;
    const when = gone.from === undefined ? '' : ` (quarantined from ${new Date(gone.from * 1000).toISOString()} to ${new Date((gone.to ?? gone.from) * 1000).toISOString()})`;
    this.log.warn(
      { samples: gone.samples, from: gone.from, to: gone.to, file: this.previous, maxBytes: this.maxBytes },
      `quarantine: ${gone.samples} samples${when} rotated away: the quarantine files are at quarantine.maxBytes (${this.maxBytes} bytes each); they were logged when quarantined and are counted in ringmon_quarantine_rotated_samples_total`,
    );
  }
}
