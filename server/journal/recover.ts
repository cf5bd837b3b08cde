/**
 * Opening a journal directory after whatever happened to the last process:
 * read the checkpoint, remove segments a checkpoint released, check every
 * remaining segment and cut a torn tail (the segment log's 'torn-tail'
 * policy), check that the segments join up, and make sure there is a
 * segment to append to. The directory after this is as a clean shutdown
 * leaves it.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirectory, type FileIo } from '../../lib/durable-file.js';
import { CorruptLogError, listSegments, recoverSegments, segmentFileName, SegmentLog } from '../../lib/segment-log/index.js';
import { checkpointPath, readCheckpoint } from './checkpoint.js';
import { CorruptJournalError } from './errors.js';
import { journalRecordCheck } from './scan.js';
import { JOURNAL_FORMAT } from './segment.js';

export interface RecoveredJournal {
  /** Open, with an active segment to append to. */
  readonly log: SegmentLog;
  /** The seq the next batch gets. */
  readonly nextSeq: number;
  readonly checkpointed: number;
  /** Bytes of torn tail truncated (or torn segment removed). */
  readonly truncatedBytes: number;
}

const segmentPath = (dir: string, seq: number): string => join(dir, segmentFileName(JOURNAL_FORMAT.naming, seq));

/**
 * Recovers the journal in `dir`, creating it if needed. Throws
 * CorruptJournalError for damage anywhere but the tail of the last segment,
 * and the system's error when the directory cannot be used.
 */
export async function recoverJournal(dir: string, io: FileIo, segmentBytes: number): Promise<RecoveredJournal> {
  await makeDirectory(dir);
  const checkpointed = await readCheckpoint(dir);
  const firstSeqs = await listSegments(JOURNAL_FORMAT.naming, dir);
  // Segments wholly at or below the checkpoint were released; a crash kept the checkpoint from deleting them.
  let keep = 0;
  while (keep + 1 < firstSeqs.length && firstSeqs[keep + 1] - 1 <= checkpointed) keep++;
  for (const seq of firstSeqs.slice(0, keep)) await rm(segmentPath(dir, seq));
  if (keep < firstSeqs.length && firstSeqs[keep] > checkpointed + 1) {
    const detail = `the checkpoint is ${checkpointed} but the journal begins at ${firstSeqs[keep]}: batches in between are missing`;
    throw new CorruptJournalError(segmentPath(dir, firstSeqs[keep]), 0, detail);
  }

  let recovered;
  try {
    recovered = await recoverSegments(JOURNAL_FORMAT, dir, firstSeqs.slice(keep), { damage: 'torn-tail', check: () => journalRecordCheck() });
  } catch (e) {
    throw e instanceof CorruptLogError ? new CorruptJournalError(e.path, e.offset, e.detail) : e;
  }
  const { segments, damagedBytes } = recovered;
  for (let i = 0; i + 1 < segments.length; i++) {
    const { path, size, lastSeq } = segments[i];
    const next = segments[i + 1].firstSeq;
    if (lastSeq + 1 !== next) throw new CorruptJournalError(path, size, `segment ends before seq ${lastSeq + 1} but the next segment begins at seq ${next}`);
  }
  const last = segments.at(-1);
  if (last !== undefined && last.lastSeq < checkpointed) {
    throw new CorruptJournalError(checkpointPath(dir), 8, `checkpoint ${checkpointed} is beyond the last batch in the journal, ${last.lastSeq}`);
  }
  const nextSeq = Math.max(last ? last.lastSeq + 1 : 0, checkpointed + 1);
  const log = await SegmentLog.open(
    { dir, format: JOURNAL_FORMAT, io, segmentBytes, full: { kind: 'refuse' }, afterWriteError: 'stop', label: 'journal' },
    segments,
    // A segment of an older version is not written on: older code must refuse the new samples by the header, not misread them.
    last !== undefined && segmentVersion(last.path) === JOURNAL_FORMAT.header.version,
  );
  try {
    await log.ensureSegment(nextSeq);
  } catch (e) {
    await log.close().catch(() => undefined);
    throw e;
  }
  return { log, nextSeq, checkpointed, truncatedBytes: damagedBytes };
}

/** The version in a recovered segment's header (recoverSegments has read it whole). */
function segmentVersion(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.alloc(8);
    readSync(fd, bytes, 0, 8, 0);
    return bytes.readUInt32LE(4);
  } finally {
    closeSync(fd);
  }
}
