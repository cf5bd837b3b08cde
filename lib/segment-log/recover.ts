/**
 * Opening a log's segments after whatever happened to the last process:
 * read and check every segment, cut off a torn tail, and say what is left.
 * Two policies for damage:
 *   'torn-tail'  only a torn tail of the last segment is expected (the
 *                journal): it is cut off (a torn last header removes the
 *                segment); any other damage throws CorruptLogError, with the
 *                file and offset, and nothing is changed for it.
 *   'truncate'   damage anywhere is cut off (the agent spool, which would
 *                rather send what it can): the segment keeps its valid
 *                records, one with an unreadable header is removed, and
 *                `onDamage` is told each time.
 * Cutting off is ftruncate + fdatasync, so it survives a crash too.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptLogError } from './errors.js';
import type { LogFormat } from './log-format.js';
import type { Segment } from './segment-files.js';
import { scanSegment, type RecordCheck, type ScanDamage } from './segment-scan.js';
import { segmentFileName } from './segment-name.js';

export interface RecoverOptions {
  readonly damage: 'torn-tail' | 'truncate';
  /** The format's record check for the segment named `firstSeq` (a fresh one per segment, so it may count). */
  readonly check: (firstSeq: number) => RecordCheck;
  /** Told of damage cut off or a segment removed; `bytes` is how much went, `last` whether it was the last segment. */
  readonly onDamage?: (path: string, damage: ScanDamage & { readonly bytes: number; readonly last: boolean }) => void;
}

export interface RecoveredSegments {
  /** Oldest first: every segment that still has a readable header, sizes cut back to their valid records. */
  readonly segments: Segment[];
  /** Bytes cut off or removed. */
  readonly damagedBytes: number;
}

async function cutBack(path: string, length: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(length);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/**
 * Recovers the segments `firstSeqs` (ascending) of the log in `dir`.
 * Rejects with CorruptLogError under 'torn-tail' (see above), and with the
 * system's error when a file cannot be read or cut.
 */
export async function recoverSegments(format: LogFormat, dir: string, firstSeqs: readonly number[], options: RecoverOptions): Promise<RecoveredSegments> {
  const segments: Segment[] = [];
  let damagedBytes = 0;
  for (const [i, firstSeq] of firstSeqs.entries()) {
    const path = join(dir, segmentFileName(format.naming, firstSeq));
    const last = i === firstSeqs.length - 1;
    const bytes = await readFile(path);
    const scan = scanSegment(format, bytes, firstSeq, options.check(firstSeq));
    if (scan.damage !== undefined) {
      const { damage } = scan;
      if (options.damage === 'torn-tail' && !(last && damage.torn)) {
        throw new CorruptLogError(path, damage.offset, damage.detail);
      }
      const cut = bytes.length - scan.validBytes;
      damagedBytes += cut;
      options.onDamage?.(path, { ...damage, bytes: cut, last });
      if (scan.validBytes === 0) {
        await rm(path);
        continue;
      }
      await cutBack(path, scan.validBytes);
    }
    segments.push({ firstSeq, path, lastSeq: scan.lastSeq, size: scan.validBytes });
  }
  return { segments, damagedBytes };
}
