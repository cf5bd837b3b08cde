/**
 * Shared by the journal tests: scratch directories, an io that counts syncs,
 * deterministic batches, and reading a journal back whole.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { nodeJournalIo, type JournalIo, type JournaledSample, type SampleJournal } from '../../../server/journal/index.js';
import { RECORD_HEADER_SIZE, SEGMENT_HEADER_SIZE } from '../../../server/journal/segment.js';

/** A fresh directory per call, all removed after the file's tests. */
export function scratchDirs(prefix: string): () => string {
  const root = mkdtempSync(join(tmpdir(), `ringmon-${prefix}-`));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  return () => join(root, `j${n++}`);
}

/** The real io, counting fdatasyncs. */
export function countingIo(): { io: JournalIo; syncs: () => number } {
  let syncs = 0;
  return {
    io: { writev: nodeJournalIo.writev, fdatasync: (fd) => (syncs++, nodeJournalIo.fdatasync(fd)) },
    syncs: () => syncs,
  };
}

/** Batch k of a test: `size` samples with fractional times, unknown values and non-ASCII names among them. */
export function testBatch(k: number, size = 5): JournaledSample[] {
  return Array.from({ length: size }, (_, i) => ({
    series: i % 4 === 3 ? `hôte-${k}/température ${i} ✓` : `host-${k % 7}.example.net/if-${i}/in`,
    time: 1_700_000_000 + k * 10 + i / 8,
    value: i % 5 === 4 ? null : k * 1000 + i + 0.25,
  }));
}

/** Every batch replay gives, as [seq, samples] pairs. */
export async function replayAll(journal: SampleJournal, afterSeq?: number): Promise<[number, JournaledSample[]][]> {
  const out: [number, JournaledSample[]][] = [];
  await journal.replay((seq, samples) => out.push([seq, samples]), afterSeq);
  return out;
}

/** Byte offsets of the records of a segment file, read with the format's own sizes. */
export function recordOffsets(path: string): number[] {
  const bytes = readFileSync(path);
  const offsets: number[] = [];
  for (let at = SEGMENT_HEADER_SIZE; at < bytes.length; at += RECORD_HEADER_SIZE + bytes.readUInt32LE(at)) offsets.push(at);
  return offsets;
}
