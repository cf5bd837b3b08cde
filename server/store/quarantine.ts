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
 * text "inf", "-inf" or "nan". A line cut short by a crash is skipped by
 * readQuarantine.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FILE_MODE, makeDirectorySync, syncDirectorySync } from '../../lib/durable-file.js';
import type { PendingSample } from './apply.js';
import type { StoreLogger } from './store-stats.js';

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

/** The quarantine file under `dataDir`. */
export function quarantineFile(dataDir: string): string {
  return join(dataDir, 'quarantine', 'samples.jsonl');
}

/** Every sample in the quarantine file of `dataDir`, oldest first; none when there is no file. */
export function readQuarantine(dataDir: string): QuarantinedSample[] {
  const file = quarantineFile(dataDir);
  if (!existsSync(file)) return [];
  const found: QuarantinedSample[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    try {
      if (line !== '') found.push(JSON.parse(line) as QuarantinedSample);
    } catch {
      // A line cut short by a crash: its samples are staged again from the journal.
    }
  }
  return found;
}

interface Staged {
  readonly series: string;
  readonly sample: PendingSample;
  readonly reason: string;
}

const valueText = (v: number | null): number | string | null => (v === null || Number.isFinite(v) ? v : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');

export class Quarantine {
  private staged: Staged[] = [];
  private readonly logged = new Set<string>();
  /** A commit failed and may have left part of a line: the next starts on a new line. */
  private cut = false;
  readonly file: string;

  constructor(
    dataDir: string,
    private readonly log: StoreLogger,
    /** Bumped by the number of samples each commit writes. */
    private readonly counters: { samplesQuarantined: number },
    private readonly now: () => number,
  ) {
    this.file = quarantineFile(dataDir);
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

  /** Appends the staged samples to the file and syncs it. Throws the system's error; they then stay staged. */
  commit(): void {
    if (this.staged.length === 0) return;
    const at = Math.floor(this.now());
    const lines = this.staged.map(({ series, sample, reason }) => `${JSON.stringify({ at, series, t: sample.time, v: valueText(sample.value), reason })}\n`).join('');
    const text = this.cut ? `\n${lines}` : lines;
    const dir = join(this.file, '..');
    makeDirectorySync(dir);
    const isNew = !existsSync(this.file);
    this.cut = true;
    const fd = openSync(this.file, 'a', FILE_MODE);
    try {
      const bytes = Buffer.from(text, 'utf8');
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (isNew) syncDirectorySync(dir);
    this.cut = false;
    this.counters.samplesQuarantined += this.staged.length;
    this.staged = [];
  }
}
