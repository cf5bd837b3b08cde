/**
 * Damaged journals: a torn tail (what a crash mid-write leaves) is truncated
 * at open and counted; damage anywhere else is a CorruptJournalError naming
 * the file and offset, never silently dropped. Plus a fuzz: one flipped
 * byte anywhere either is reported or costs at most the last record.
 */
import { appendFileSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorruptJournalError, SampleJournal } from '../../../server/journal/index.js';
import { RECORD_HEADER_SIZE } from '../../../server/journal/segment.js';
import { recordOffsets, replayAll, scratchDirs, testBatch } from './journal-helpers.js';

const newDir = scratchDirs('journal-corruption');
const BATCHES = 6;

/** A closed journal of BATCHES batches, one record each; returns its directory and segment paths, oldest first. */
async function buildJournal(segmentBytes?: number): Promise<{ dir: string; segments: string[] }> {
  const dir = newDir();
  const journal = await SampleJournal.open(dir, { segmentBytes });
  for (let k = 0; k < BATCHES; k++) await journal.append(testBatch(k));
  await journal.close();
  const segments = readdirSync(dir).filter((f) => f.endsWith('.rmj')).sort().map((f) => join(dir, f));
  return { dir, segments };
}

function flipByte(path: string, offset: number): void {
  const bytes = readFileSync(path);
  bytes[offset] ^= 0x5a;
  writeFileSync(path, bytes);
}

async function seqsAfterOpen(dir: string): Promise<{ seqs: number[]; truncated: number }> {
  const journal = await SampleJournal.open(dir);
  try {
    const batches = await replayAll(journal);
    batches.forEach(([seq, samples]) => expect(samples).toEqual(testBatch(seq - 1)));
    return { seqs: batches.map(([seq]) => seq), truncated: journal.truncatedBytesAtOpen };
  } finally {
    await journal.close();
  }
}

async function openError(dir: string): Promise<CorruptJournalError> {
  const error: unknown = await SampleJournal.open(dir).then(
    (j) => j.close().then(() => undefined),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CorruptJournalError);
  return error as CorruptJournalError;
}

const allSeqs = Array.from({ length: BATCHES }, (_, i) => i + 1);

describe('journal torn tails', () => {
  it('truncates a last record cut short by a few bytes, keeping every earlier one', async () => {
    const { dir, segments } = await buildJournal();
    const [path] = segments;
    const size = statSync(path).size;
    const last = recordOffsets(path).at(-1)!;
    truncateSync(path, size - 3);
    expect(await seqsAfterOpen(dir)).toEqual({ seqs: allSeqs.slice(0, -1), truncated: size - 3 - last });
    expect(statSync(path).size).toBe(last);
    // The lost batch's seq goes to the next batch appended.
    const journal = await SampleJournal.open(dir);
    expect(journal.truncatedBytesAtOpen).toBe(0);
    expect(await journal.append(testBatch(BATCHES - 1))).toBe(BATCHES);
    await journal.close();
  });

  it('truncates a last record cut inside its header', async () => {
    const { dir, segments } = await buildJournal();
    const last = recordOffsets(segments[0]).at(-1)!;
    truncateSync(segments[0], last + RECORD_HEADER_SIZE - 5);
    expect(await seqsAfterOpen(dir)).toEqual({ seqs: allSeqs.slice(0, -1), truncated: RECORD_HEADER_SIZE - 5 });
  });

  it('truncates a last record whose payload fails its checksum', async () => {
    const { dir, segments } = await buildJournal();
    const size = statSync(segments[0]).size;
    const last = recordOffsets(segments[0]).at(-1)!;
    flipByte(segments[0], size - 10);
    expect(await seqsAfterOpen(dir)).toEqual({ seqs: allSeqs.slice(0, -1), truncated: size - last });
  });

  it('truncates space that was allocated but never written', async () => {
    const { dir, segments } = await buildJournal();
    appendFileSync(segments[0], Buffer.alloc(4096));
    expect(await seqsAfterOpen(dir)).toEqual({ seqs: allSeqs, truncated: 4096 });
  });

  it('removes a last segment whose header was torn while it was being created', async () => {
    const { dir } = await buildJournal();
    const torn = join(dir, 'segment-0000000000000007.rmj');
    writeFileSync(torn, Buffer.from('RMJS\x01\x00'));
    expect(await seqsAfterOpen(dir)).toEqual({ seqs: allSeqs, truncated: 6 });
    const journal = await SampleJournal.open(dir);
    expect(await journal.append(testBatch(BATCHES))).toBe(BATCHES + 1);
    await journal.close();
  });
});

describe('journal corruption', () => {
  it('reports a damaged record before the last with its file and offset', async () => {
    const { dir, segments } = await buildJournal();
    const second = recordOffsets(segments[0])[1];
    flipByte(segments[0], second + RECORD_HEADER_SIZE + 7);
    const error = await openError(dir);
    expect(error.path).toBe(segments[0]);
    expect(error.offset).toBe(second);
    expect(error.message).toContain(`corrupt journal at byte ${second}: record payload fails its checksum`);
  });

  it('reports a damaged record header, even in the last record, rather than guess where the record ends', async () => {
    const { dir, segments } = await buildJournal();
    const last = recordOffsets(segments[0]).at(-1)!;
    flipByte(segments[0], last + 2);
    expect((await openError(dir)).offset).toBe(last);
  });

  it('reports damage in a segment that is not the last, even at its end', async () => {
    const { dir, segments } = await buildJournal(300);
    expect(segments.length).toBeGreaterThan(2);
    truncateSync(segments[0], statSync(segments[0]).size - 1);
    expect((await openError(dir)).path).toBe(segments[0]);
  });

  it('reports a missing segment in the middle', async () => {
    const { dir, segments } = await buildJournal(300);
    rmSync(segments[1]);
    expect((await openError(dir)).message).toMatch(/next segment begins at seq/);
  });

  it('reports a damaged segment header and a damaged checkpoint', async () => {
    const first = await buildJournal();
    flipByte(first.segments[0], 17);
    expect((await openError(first.dir)).offset).toBe(0);

    const second = await buildJournal();
    const journal = await SampleJournal.open(second.dir);
    await journal.checkpoint(2);
    await journal.close();
    flipByte(join(second.dir, 'checkpoint'), 9);
    expect((await openError(second.dir)).path).toBe(join(second.dir, 'checkpoint'));
  });

  it('reports damage that appears after open when replay reads it', async () => {
    const { dir, segments } = await buildJournal();
    const journal = await SampleJournal.open(dir);
    flipByte(segments[0], recordOffsets(segments[0])[0] + RECORD_HEADER_SIZE);
    await expect(replayAll(journal)).rejects.toBeInstanceOf(CorruptJournalError);
    await journal.close();
  });

  it('never serves wrong data: any one flipped byte is reported, or costs at most the last record', async () => {
    const { dir, segments } = await buildJournal(400);
    const originals = segments.map((p) => readFileSync(p));
    const lastSegment = segments.length - 1;
    const lastRecord = recordOffsets(segments[lastSegment]).at(-1)!;
    let reported = 0;
    for (let trial = 0; trial < 150; trial++) {
      const s = trial % segments.length;
      const offset = Math.floor(Math.random() * originals[s].length);
      originals.forEach((bytes, i) => writeFileSync(segments[i], bytes));
      flipByte(segments[s], offset);
      const outcome = await SampleJournal.open(dir).then(
        async (journal) => {
          const seqs = (await replayAll(journal)).map(([seq, samples]) => (expect(samples).toEqual(testBatch(seq - 1)), seq));
          await journal.close();
          return seqs;
        },
        (e: unknown) => e,
      );
      if (outcome instanceof CorruptJournalError) {
        reported++;
        continue;
      }
      expect(outcome, `flip at ${segments[s]}:${offset}`).not.toBeInstanceOf(Error);
      const inLastRecord = s === lastSegment && offset >= lastRecord;
      expect(outcome).toEqual(inLastRecord ? allSeqs.slice(0, -1) : allSeqs);
      expect(inLastRecord, `flip at ${segments[s]}:${offset} went unnoticed`).toBe(true);
    }
    expect(reported).toBeGreaterThan(100);
  });
});
