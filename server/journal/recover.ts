/**
 * Opening a journal directory after whatever happened to the last process:
 * read the checkpoint, remove segments a checkpoint released, check every
 * remaining segment, truncate a torn tail, and make sure there is a segment
 * to append to. The directory after this is as a clean shutdown leaves it.
 */
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkpointPath, readCheckpoint } from './checkpoint.js';
import { CorruptJournalError } from './errors.js';
import { closeFile, openFile, truncateFile, type JournalIo } from './io.js';
import { scanSegment } from './scan.js';
import { createSegment, type Segment } from './segment-files.js';
import { parseSegmentName, segmentName } from './segment.js';

export interface RecoveredJournal {
  /** Oldest first; the last is the active one, open as `fd`. Never empty. */
  readonly segments: Segment[];
  readonly fd: number;
  /** The seq the next batch gets. */
  readonly nextSeq: number;
  readonly checkpointed: number;
  /** Bytes of torn tail truncated (or torn segment removed). */
  readonly truncatedBytes: number;
}

async function segmentSeqs(dir: string): Promise<number[]> {
  return (await readdir(dir))
    .map(parseSegmentName)
    .filter((seq): seq is number => seq !== undefined)
    .sort((a, b) => a - b);
}

/**
 * Recovers the journal in `dir`, creating it if needed. Throws
 * CorruptJournalError for damage anywhere but the tail of the last segment,
 * and the system's error when the directory cannot be used.
 */
export async function recoverJournal(dir: string, io: JournalIo): Promise<RecoveredJournal> {
  await mkdir(dir, { recursive: true });
  const checkpointed = await readCheckpoint(dir);
  const firstSeqs = await segmentSeqs(dir);
  // Segments wholly at or below the checkpoint were released; a crash kept the checkpoint from deleting them.
  let keep = 0;
  while (keep + 1 < firstSeqs.length && firstSeqs[keep + 1] - 1 <= checkpointed) keep++;
  for (const seq of firstSeqs.slice(0, keep)) await rm(join(dir, segmentName(seq)));
  if (keep < firstSeqs.length && firstSeqs[keep] > checkpointed + 1) {
    const detail = `the checkpoint is ${checkpointed} but the journal begins at ${firstSeqs[keep]}: batches in between are missing`;
    throw new CorruptJournalError(join(dir, segmentName(firstSeqs[keep])), 0, detail);
  }

  const segments: Segment[] = [];
  let nextSeq = checkpointed + 1;
  let truncatedBytes = 0;
  let fd: number | undefined;
  try {
    for (let i = keep; i < firstSeqs.length; i++) {
      const path = join(dir, segmentName(firstSeqs[i]));
      const last = i === firstSeqs.length - 1;
      const scan = scanSegment(path, await readFile(path), firstSeqs[i], last);
      if (!last && scan.nextSeq !== firstSeqs[i + 1]) {
        throw new CorruptJournalError(path, scan.validBytes, `segment ends before seq ${scan.nextSeq} but the next segment begins at seq ${firstSeqs[i + 1]}`);
      }
      nextSeq = scan.nextSeq;
      truncatedBytes += scan.tornBytes;
      if (scan.validBytes === 0) {
        // Its header is torn: the segment never held a record.
        await rm(path);
        continue;
      }
      segments.push({ firstSeq: firstSeqs[i], path, size: scan.validBytes });
      if (last) {
        fd = await openFile(path, 'r+');
        if (scan.tornBytes > 0) {
          await truncateFile(fd, scan.validBytes);
          await io.fdatasync(fd);
        }
      }
    }
    if (segments.length > 0 && nextSeq - 1 < checkpointed) {
      throw new CorruptJournalError(checkpointPath(dir), 8, `checkpoint ${checkpointed} is beyond the last batch in the journal, ${nextSeq - 1}`);
    }
    if (fd === undefined) {
      const created = await createSegment(io, dir, Math.max(nextSeq, checkpointed + 1));
      segments.push(created.segment);
      fd = created.fd;
      nextSeq = created.segment.firstSeq;
    }
    return { segments, fd, nextSeq, checkpointed, truncatedBytes };
  } catch (e) {
    if (fd !== undefined) await closeFile(fd).catch(() => undefined);
    throw e;
  }
}
