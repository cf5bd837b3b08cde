/**
 * The checkpoint file: the highest seq the journal's caller has made durable
 * elsewhere. Replaced by lib/durable-file's replaceFile (a unique temporary
 * file beside it, written and synced, renamed over checkpoint, directory
 * synced), so a crash leaves the old value or the new one, never a mix. The
 * write and the sync go through the journal's io, where tests inject a full
 * disk.
 *
 * Format (24 bytes, little-endian):
 *   0  magic     4 bytes  "RMJC"
 *   4  version   u32      CHECKPOINT_VERSION
 *   8  seq       f64      checkpointed seq; 0: none
 *  16  reserved  u32      0
 *  20  crc32     u32      of bytes 0..20
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { CorruptJournalError } from './errors.js';
import { replaceFile, type FileIo } from '../../lib/durable-file.js';

const MAGIC = 'RMJC';
const CHECKPOINT_VERSION = 1;
const SIZE = 24;

export function checkpointPath(dir: string): string {
  return join(dir, 'checkpoint');
}

/** The checkpointed seq, 0 when there is no checkpoint file. Throws CorruptJournalError for a damaged one. */
export async function readCheckpoint(dir: string): Promise<number> {
  const path = checkpointPath(dir);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  // Written by rename only, so a damaged file is damage, never a torn write.
  if (bytes.length !== SIZE) throw new CorruptJournalError(path, 0, `checkpoint file is ${bytes.length} bytes, expected ${SIZE}`);
  if (bytes.toString('latin1', 0, 4) !== MAGIC || bytes.readUInt32LE(20) !== crc32(bytes.subarray(0, 20))) {
    throw new CorruptJournalError(path, 0, 'not a readable checkpoint (bad magic or checksum)');
  }
  const version = bytes.readUInt32LE(4);
  if (version !== CHECKPOINT_VERSION) throw new CorruptJournalError(path, 4, `checkpoint format version ${version}, expected ${CHECKPOINT_VERSION}`);
  const seq = bytes.readDoubleLE(8);
  if (!Number.isSafeInteger(seq) || seq < 0) throw new CorruptJournalError(path, 8, `checkpoint seq ${seq} is not a sequence number`);
  return seq;
}

/** Durably replaces the checkpoint with `seq`. Rejects with the system's error; the old checkpoint then stays. */
export async function writeCheckpoint(io: FileIo, dir: string, seq: number): Promise<void> {
  const bytes = Buffer.alloc(SIZE);
  bytes.write(MAGIC, 0, 'latin1');
  bytes.writeUInt32LE(CHECKPOINT_VERSION, 4);
  bytes.writeDoubleLE(seq, 8);
  bytes.writeUInt32LE(crc32(bytes.subarray(0, 20)), 20);
  await replaceFile(checkpointPath(dir), bytes, { io });
}
